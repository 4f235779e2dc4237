import { InvalidParameterException } from "../errors/aws-errors.js";
import type { IndexedTable } from "../state/indexed-table.js";

/**
 * Opaque, stateless page tokens: a position in a stable ordering (an offset into a sorted list, or
 * a sequence number in a store index), base64-encoded with a marker so that a token from one
 * listing is refused by another.
 */
export interface PageOptions {
  maxResults?: number;
  nextToken?: string;
  kind: string;
  defaultMax?: number;
  maxAllowed?: number;
}

export function paginate<T>(items: readonly T[], opts: PageOptions): { page: T[]; nextToken?: string } {
  const max = pageSize(opts);
  const start = opts.nextToken ? decode(opts.nextToken, opts.kind) : 0;
  const page = items.slice(start, start + max);
  const end = start + page.length;
  return end < items.length ? { page, nextToken: encode(end, opts.kind) } : { page };
}

/**
 * One page of an index bucket of the store, resumed from the token's position in the bucket:
 * O(page) whatever the bucket's size, and stable while records come and go between calls.
 */
export function paginateIndex<R>(
  table: IndexedTable<R>,
  indexKey: string,
  accept: (record: R) => boolean,
  opts: PageOptions,
): { page: R[]; nextToken?: string } {
  const max = pageSize(opts);
  const after = opts.nextToken ? decode(opts.nextToken, opts.kind) : 0;
  const { items, cursor } = table.page(indexKey, after, max, accept);
  return cursor === undefined ? { page: items } : { page: items, nextToken: encode(cursor, opts.kind) };
}

function pageSize(opts: PageOptions): number {
  const maxAllowed = opts.maxAllowed ?? 100;
  const max = opts.maxResults ?? opts.defaultMax ?? 100;
  if (max < 1 || max > maxAllowed) {
    throw new InvalidParameterException(`maxResults must be between 1 and ${maxAllowed}.`);
  }
  return max;
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
