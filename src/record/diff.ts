import { isDeepStrictEqual } from "node:util";

export interface Difference {
  path: string;
  recorded: unknown;
  replayed: unknown;
}

/** Where two JSON values differ, path by path (`tasks[0].lastStatus`), at most `limit` of them. */
export function jsonDifferences(recorded: unknown, replayed: unknown, limit = 20, path = ""): Difference[] {
  if (isDeepStrictEqual(recorded, replayed)) return [];
  const bothArrays = Array.isArray(recorded) && Array.isArray(replayed);
  const bothObjects = isObject(recorded) && isObject(replayed);
  if (!bothArrays && !bothObjects) return [{ path: path || "(root)", recorded, replayed }];
  const out: Difference[] = [];
  const keys = bothArrays
    ? Array.from({ length: Math.max((recorded as unknown[]).length, (replayed as unknown[]).length) }, (_, i) => i)
    : [...new Set([...Object.keys(recorded as object), ...Object.keys(replayed as object)])];
  for (const key of keys) {
    const child = typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const a = (recorded as Record<string | number, unknown>)[key];
    const b = (replayed as Record<string | number, unknown>)[key];
    out.push(...jsonDifferences(a, b, limit - out.length, child));
    if (out.length >= limit) break;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
