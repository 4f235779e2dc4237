import type { EcsEventEnvelope } from "./envelope.js";
import { matchesFilter, type EventFilter } from "./filter.js";

/** One retained event; `atMs` keeps the millisecond the envelope's whole-second `time` drops. */
export interface LoggedEvent {
  seq: number;
  atMs: number;
  clusterArn: string | undefined;
  event: EcsEventEnvelope;
}

export interface EventLogQuery extends EventFilter {
  /**
   * Epoch milliseconds (events recorded at or after it) or an event id (events after it, for
   * SSE Last-Event-ID resumption). An id that has already been evicted returns everything
   * retained: the reader missed events either way, and a full replay is the safe answer.
   */
  since?: number | string | undefined;
  /** At most this many, the newest ones. */
  limit?: number | undefined;
}

/**
 * A fixed-capacity ring buffer of recent events. Bounded so a long-running simulator never grows
 * without limit; 10,000 events covers a few thousand task lifecycles.
 */
export class EventLog {
  private readonly slots: (LoggedEvent | undefined)[];
  private nextSeq = 0;
  private readonly seqById = new Map<string, number>();

  constructor(readonly capacity: number = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("event log capacity must be a positive integer");
    this.slots = new Array<LoggedEvent | undefined>(capacity);
  }

  get size(): number {
    return Math.min(this.nextSeq, this.capacity);
  }

  append(event: EcsEventEnvelope, atMs: number, clusterArn: string | undefined): LoggedEvent {
    const seq = this.nextSeq++;
    const index = seq % this.capacity;
    const evicted = this.slots[index];
    if (evicted) this.seqById.delete(evicted.event.id);
    const entry: LoggedEvent = { seq, atMs, clusterArn, event };
    this.slots[index] = entry;
    this.seqById.set(event.id, seq);
    return entry;
  }

  list(query: EventLogQuery = {}): EcsEventEnvelope[] {
    return this.entries(query).map((e) => e.event);
  }

  entries(query: EventLogQuery = {}): LoggedEvent[] {
    const oldest = this.nextSeq - this.size;
    let from = oldest;
    let minAt = -Infinity;
    if (typeof query.since === "string") {
      const seq = this.seqById.get(query.since);
      if (seq !== undefined) from = seq + 1;
    } else if (typeof query.since === "number") {
      minAt = query.since;
    }
    const out: LoggedEvent[] = [];
    for (let seq = from; seq < this.nextSeq; seq++) {
      const entry = this.slots[seq % this.capacity]!;
      if (entry.atMs < minAt) continue;
      if (!matchesFilter(entry.event, entry.clusterArn, query)) continue;
      out.push(entry);
    }
    if (query.limit !== undefined && query.limit >= 0 && out.length > query.limit) {
      return out.slice(out.length - query.limit);
    }
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.seqById.clear();
    this.nextSeq = 0;
  }
}
