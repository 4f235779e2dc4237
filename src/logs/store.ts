/**
 * An in-memory CloudWatch Logs: groups -> streams -> events. Both runtimes write container
 * output here and the Logs_20140328 API (operations.ts) reads it. Timestamps come from the
 * injected clock so a virtual-clock run stores the same log on every replay.
 */
import type { Clock } from "../core/clock.js";

export interface LogEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface LogStream {
  logStreamName: string;
  creationTime: number;
  /** Kept in timestamp order (stable for equal timestamps); token indexes point into it. */
  events: LogEvent[];
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  streams: Map<string, LogStream>;
}

export type LogListener = (group: string, stream: string, event: LogEvent) => void;

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private readonly listeners = new Set<LogListener>();

  constructor(private readonly clock: Pick<Clock, "now">) {}

  now(): number {
    return this.clock.now();
  }

  /** Forgets every group (POST /_sim/reset). */
  clear(): void {
    this.groups.clear();
  }

  getGroup(name: string): LogGroup | undefined {
    return this.groups.get(name);
  }

  listGroups(): LogGroup[] {
    return [...this.groups.values()].sort((a, b) => cmp(a.logGroupName, b.logGroupName));
  }

  /** Returns false when the group already existed. */
  createGroup(name: string): boolean {
    if (this.groups.has(name)) return false;
    this.groups.set(name, { logGroupName: name, creationTime: this.clock.now(), streams: new Map() });
    return true;
  }

  deleteGroup(name: string): boolean {
    return this.groups.delete(name);
  }

  getStream(group: string, stream: string): LogStream | undefined {
    return this.groups.get(group)?.streams.get(stream);
  }

  /** Returns false when the stream already existed; creates the group when missing. */
  createStream(group: string, stream: string): boolean {
    this.createGroup(group);
    const g = this.groups.get(group)!;
    if (g.streams.has(stream)) return false;
    g.streams.set(stream, { logStreamName: stream, creationTime: this.clock.now(), events: [], storedBytes: 0 });
    return true;
  }

  /**
   * Appends one event, creating group and stream on the way. Whether a container may write to a
   * group that does not exist is decided before it starts (runtime/container-logs.ts).
   */
  append(group: string, stream: string, message: string, timestamp?: number): LogEvent {
    this.createStream(group, stream);
    const s = this.groups.get(group)!.streams.get(stream)!;
    const now = this.clock.now();
    const event: LogEvent = { timestamp: timestamp ?? now, ingestionTime: now, message };
    // Insert after every event with timestamp <= ours: appends are the common case.
    let i = s.events.length;
    while (i > 0 && s.events[i - 1]!.timestamp > event.timestamp) i--;
    s.events.splice(i, 0, event);
    s.firstEventTimestamp = Math.min(s.firstEventTimestamp ?? event.timestamp, event.timestamp);
    s.lastEventTimestamp = Math.max(s.lastEventTimestamp ?? event.timestamp, event.timestamp);
    s.lastIngestionTime = now;
    s.storedBytes += Buffer.byteLength(message);
    for (const l of this.listeners) l(group, stream, event);
    return event;
  }

  /** Notified on every appended event (used to tail a task's log). Returns the unsubscribe. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
