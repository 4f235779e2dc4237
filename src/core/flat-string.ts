/**
 * The same text as one flat string. V8 keeps a string built by concatenation (template literals,
 * `+=`) as a tree of its pieces, about 32 bytes a node, and a slice keeps its whole parent alive;
 * the ids, ARNs and addresses kept for every task are worth storing flat (about 100 bytes a task
 * each). A JSON round trip is exact for any string and always yields a flat one.
 */
export function flatString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
