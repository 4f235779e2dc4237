/**
 * JSON for persisted records. The SDK shapes hold Dates and the schedulers' bookkeeping holds Maps
 * and Sets; each is tagged so that it comes back as what it was.
 */
export function encode(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.getTime() };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encode) };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encode(v);
    return out;
  }
  return value;
}

export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (!value || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (typeof o["$date"] === "number" && Object.keys(o).length === 1) return new Date(o["$date"]);
  if (Array.isArray(o["$map"]) && Object.keys(o).length === 1) {
    return new Map((o["$map"] as [unknown, unknown][]).map(([k, v]) => [decode(k), decode(v)]));
  }
  if (Array.isArray(o["$set"]) && Object.keys(o).length === 1) return new Set((o["$set"] as unknown[]).map(decode));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decode(v);
  return out;
}
