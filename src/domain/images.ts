/**
 * An image reference as the agent resolves it: Docker Hub's registry and `library/` namespace
 * when none is named, `:latest` when no tag or digest is given ("nginx" is
 * "docker.io/library/nginx:latest").
 */
export function qualifiedImageRef(image: string): string {
  const first = image.split("/")[0]!;
  const hasRegistry = image.includes("/") && (/[.:]/.test(first) || first === "localhost");
  const withRegistry = hasRegistry ? image : `docker.io/${image.includes("/") ? image : `library/${image}`}`;
  return /:[^/]+$/.test(withRegistry) || withRegistry.includes("@") ? withRegistry : `${withRegistry}:latest`;
}

/** Whether `image` matches a pattern: an exact reference (either form) or a `*` wildcard. */
export function imageMatches(pattern: string, image: string): boolean {
  if (!pattern.includes("*")) return pattern === image || qualifiedImageRef(pattern) === qualifiedImageRef(image);
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(image) || re.test(qualifiedImageRef(image));
}
