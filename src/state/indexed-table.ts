/**
 * A keyed table of records with secondary indexes, so that a list, a count or a reconcile pass
 * costs what its answer costs instead of a scan of the region.
 *
 * `indexKeysOf(record)` names the index buckets a record belongs to (say "cluster c, desired
 * RUNNING"). Each bucket keeps its members in the order they joined it, tagged with a sequence
 * number from one counter; a page resumes after the last sequence number it returned, so a
 * cursor stays valid while records join and leave (nothing is skipped or repeated, new arrivals
 * come last). Leaving a bucket marks the entry dead; a bucket is compacted once its dead entries
 * outnumber the live ones, which keeps every operation amortized O(1) plus the answer.
 *
 * Iterating the table itself (values(), keys()) is in first-insertion order, like a Map.
 */
interface Entry<R> {
  readonly record: R;
  readonly seq: number;
  readonly bucket: Bucket<R>;
  live: boolean;
}

interface Bucket<R> {
  readonly key: string;
  entries: Entry<R>[];
  live: number;
}

interface Slot<R> {
  record: R;
  entries: Entry<R>[];
}

export interface IndexPage<R> {
  items: R[];
  /** Where the next page starts, when more members may follow. */
  cursor?: number;
}

export class IndexedTable<R> {
  private readonly slots = new Map<string, Slot<R>>();
  private readonly buckets = new Map<string, Bucket<R>>();
  private seq = 0;

  constructor(private readonly indexKeysOf: (record: R) => readonly string[]) {}

  get size(): number {
    return this.slots.size;
  }

  get(key: string): R | undefined {
    return this.slots.get(key)?.record;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  *values(): IterableIterator<R> {
    for (const slot of this.slots.values()) yield slot.record;
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  *entries(): IterableIterator<[string, R]> {
    for (const [key, slot] of this.slots) yield [key, slot.record];
  }

  [Symbol.iterator](): IterableIterator<[string, R]> {
    return this.entries();
  }

  /** Adds or replaces the record under `key` and indexes it. */
  set(key: string, record: R): this {
    const slot = this.slots.get(key);
    if (slot) {
      if (slot.record !== record) {
        for (const e of slot.entries) this.leave(e);
        slot.entries = [];
        slot.record = record;
      }
      this.reindexSlot(slot);
    } else {
      const fresh: Slot<R> = { record, entries: [] };
      this.slots.set(key, fresh);
      this.reindexSlot(fresh);
    }
    return this;
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (!slot) return false;
    for (const e of slot.entries) this.leave(e);
    this.slots.delete(key);
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.buckets.clear();
  }

  /** Call after changing a field the index keys derive from. */
  reindex(key: string): void {
    const slot = this.slots.get(key);
    if (slot) this.reindexSlot(slot);
  }

  /** Live members of one index bucket. */
  count(indexKey: string): number {
    return this.buckets.get(indexKey)?.live ?? 0;
  }

  /** Members of one index bucket, in the order they joined it. */
  *members(indexKey: string): IterableIterator<R> {
    const bucket = this.buckets.get(indexKey);
    if (!bucket) return;
    // A snapshot of the array: compaction during iteration replaces it, never edits it in place.
    for (const e of bucket.entries) if (e.live) yield e.record;
  }

  /**
   * Up to `limit` members after `cursor` (0: from the start) that pass `accept`, and the cursor
   * for the next page. Costs O(log n) to find the start plus the members it walks past.
   */
  page(indexKey: string, cursor: number, limit: number, accept: (record: R) => boolean = () => true): IndexPage<R> {
    const bucket = this.buckets.get(indexKey);
    if (!bucket) return { items: [] };
    const entries = bucket.entries;
    const items: R[] = [];
    let last = cursor;
    for (let i = firstAfter(entries, cursor); i < entries.length; i++) {
      const e = entries[i]!;
      if (!e.live || !accept(e.record)) continue;
      if (items.length === limit) return { items, cursor: last };
      items.push(e.record);
      last = e.seq;
    }
    return { items };
  }

  private reindexSlot(slot: Slot<R>): void {
    const wanted = this.indexKeysOf(slot.record);
    const kept: Entry<R>[] = [];
    for (const e of slot.entries) {
      if (wanted.includes(e.bucket.key)) kept.push(e);
      else this.leave(e);
    }
    for (const key of wanted) {
      if (kept.some((e) => e.bucket.key === key)) continue;
      kept.push(this.join(key, slot.record));
    }
    slot.entries = kept;
  }

  private join(key: string, record: R): Entry<R> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { key, entries: [], live: 0 };
      this.buckets.set(key, bucket);
    }
    const entry: Entry<R> = { record, seq: ++this.seq, bucket, live: true };
    bucket.entries.push(entry);
    bucket.live++;
    return entry;
  }

  private leave(entry: Entry<R>): void {
    if (!entry.live) return;
    entry.live = false;
    const bucket = entry.bucket;
    bucket.live--;
    if (bucket.live === 0) {
      if (this.buckets.get(bucket.key) === bucket) this.buckets.delete(bucket.key);
      return;
    }
    const dead = bucket.entries.length - bucket.live;
    if (dead > 16 && dead > bucket.live) bucket.entries = bucket.entries.filter((e) => e.live);
  }
}

/** Index of the first entry whose sequence number is greater than `cursor` (entries are sorted by it). */
function firstAfter<R>(entries: Entry<R>[], cursor: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.seq <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
