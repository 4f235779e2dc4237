import { InvalidParameterException } from "../errors/aws-errors.js";

/**
 * Opaque, stateless page tokens: the offset into a stable ordering, base64-encoded with a marker
 * so that a token from one listing is refused by another.
 */
export function paginate<T>(
  items: readonly T[],
  opts: { maxResults?: number; nextToken?: string; kind: string; defaultMax?: number; maxAllowed?: number },
): { page: T[]; nextToken?: string } {
  const maxAllowed = opts.maxAllowed ?? 100;
  const max = opts.maxResults ?? opts.defaultMax ?? 100;
  if (max < 1 || max > maxAllowed) {
    throw new InvalidParameterException(`maxResults must be between 1 and ${maxAllowed}.`);
  }
  const start = opts.nextToken ? decode(opts.nextToken, opts.kind) : 0;
  const page = items.slice(start, start + max);
  const end = start + page.length;
  return end < items.length ? { page, nextToken: encode(end, opts.kind) } : { page };
}

function encode(offset: number, kind: string): string {
  return Buffer.from(JSON.stringify({ k: kind, o: offset })).toString("base64url");
}

function decode(token: string, kind: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { k?: unknown; o?: unknown };
    if (parsed.k === kind && typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return parsed.o;
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterException("Invalid nextToken.");
}
