/**
 * Durations as people write them in config and scenario files: a number of milliseconds, or
 * "1500", "1.5s", "2m", "100ms", "1h", and sums such as "1m30s".
 */
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h)?/giy;
const FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function durationMs(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const text = value.trim();
  if (text === "") return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let parts = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return undefined;
    // A unitless number is milliseconds only when it stands alone ("1500"), not inside "1m30".
    if (m[2] === undefined && parts > 0) return undefined;
    total += parseFloat(m[1]!) * FACTOR[(m[2] ?? "ms").toLowerCase()]!;
    parts++;
    while (text[PART.lastIndex] === " ") PART.lastIndex++;
  }
  return Math.round(total);
}
