/**
 * Image references: rewrite rules (ECR -> local name), "use local, else pull", and AWS's
 * CannotPullContainerError wording when neither works.
 */
import type Docker from "dockerode";
import { DEFAULT_IMAGE_REWRITES, type DockerConfig } from "./config.js";

export function rewriteImage(image: string, config: DockerConfig): string {
  const rules = [...config.imageRewrites, ...(config.defaultImageRewrites ? DEFAULT_IMAGE_REWRITES : [])];
  for (const rule of rules) {
    const re = new RegExp(rule.from);
    if (re.test(image)) return image.replace(re, rule.to);
  }
  return image;
}

/** The fully qualified form containerd shows in its errors (docker.io/library/x:latest). */
export function qualifiedRef(image: string): string {
  let ref = image;
  const firstSlash = ref.indexOf("/");
  const first = firstSlash < 0 ? "" : ref.slice(0, firstSlash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  if (!hasRegistry) ref = (firstSlash < 0 ? "docker.io/library/" : "docker.io/") + ref;
  const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !ref.includes("@")) ref += ":latest";
  return ref;
}

/** Reference 8.3: the Fargate platform 1.4 wording, with the engine's detail at the end. */
export function cannotPullReason(originalImage: string, detail: string): string {
  const ref = qualifiedRef(originalImage);
  const notFound = /not found|manifest unknown|pull access denied|repository does not exist|no such image/i.test(detail);
  // dockerode prefixes the engine's message with "(HTTP code 500) server error - ".
  const engine = detail.replace(/^\(HTTP code \d+\)[^-]*-\s*/, "").replace(/\s+/g, " ").trim();
  const tail = notFound ? `${ref}: not found` : engine;
  return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ref}: ${tail}`;
}

export interface ResolvedImage {
  /** The reference Docker runs. */
  local: string;
  /** Image ID (sha256:...). */
  id: string;
  /** Repo digest when the image came from a registry, otherwise the image ID. */
  digest: string;
}

export async function inspectImage(docker: Docker, ref: string): Promise<ResolvedImage | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    const repoDigest = info.RepoDigests?.[0]?.split("@")[1];
    return { local: ref, id: info.Id, digest: repoDigest ?? info.Id };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Pulls and waits for the end of the progress stream; rejects with the engine's message. */
export async function pullImage(docker: Docker, ref: string): Promise<void> {
  const stream = await docker.pull(ref);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => {
        if (err) return reject(err);
        const failed = output?.find((o) => o.error || o.errorDetail);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
        resolve();
      },
    );
  });
}
