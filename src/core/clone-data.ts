/**
 * A deep copy of record data (plain objects, arrays, Dates and primitives), as structuredClone
 * makes it, except that strings are shared rather than copied. structuredClone gives each copy
 * its own strings, so every retained copy of a task (each event in the event log) carried its
 * ARNs and ids again; it is also several times slower on the hot DescribeTasks path.
 */
export function cloneData<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  // A spread keeps the source's fast properties; fields are then replaced in place.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const v = out[key];
    if (v !== null && typeof v === "object") out[key] = cloneData(v);
  }
  return out as T;
}
