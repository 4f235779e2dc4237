/**
 * The text subset of CloudWatch Logs filter patterns: space-separated terms must all occur,
 * "quoted phrases" count as one term, `?term`s are alternatives (any one suffices), `-term`
 * excludes. JSON and space-delimited patterns ({ $.x = 1 }, [a, b]) are not interpreted: they
 * match everything rather than silently dropping a client's events.
 */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  const p = pattern.trim();
  if (!p || p.startsWith("{") || p.startsWith("[")) return true;
  const terms = tokenize(p);
  const optional = terms.filter((t) => t.startsWith("?")).map((t) => t.slice(1));
  const excluded = terms.filter((t) => t.startsWith("-") && t.length > 1).map((t) => t.slice(1));
  const required = terms.filter((t) => !t.startsWith("?") && !(t.startsWith("-") && t.length > 1));
  if (excluded.some((t) => message.includes(t))) return false;
  if (!required.every((t) => message.includes(t))) return false;
  return optional.length === 0 || optional.some((t) => message.includes(t));
}

function tokenize(p: string): string[] {
  const out: string[] = [];
  const re = /([?-]?)"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    out.push(m[3] !== undefined ? m[3] : m[1] + m[2]!.replace(/\\(.)/g, "$1"));
  }
  return out;
}
