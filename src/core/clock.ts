import { TimerQueue } from "./timer-queue.js";

/**
 * The one source of time. Domain code never reads the wall clock directly: it asks the
 * injected Clock, so a virtual clock can replay a run exactly.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  readonly kind: "real" | "virtual";
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/**
 * Wall-clock time. Timers share one queue and one armed Node timer (for the earliest due one), so
 * they fire in the same (due time, creation order) as the virtual clock's, and a hundred thousand
 * pending timers cost heap entries, not Node timer objects.
 */
export class RealClock implements Clock {
  readonly kind = "real" as const;
  private nextId = 1;
  private readonly queue = new TimerQueue();
  private armed: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const timer = this.queue.add(id, Date.now() + Math.max(0, ms), fn);
    if (timer.at < this.armedAt) this.arm();
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.queue.cancel(handle.id);
  }

  pendingTimers(): number {
    return this.queue.size;
  }

  /** Cancels every pending timer (used on shutdown). */
  clearAll(): void {
    this.queue.clear();
    this.disarm();
  }

  private arm(): void {
    this.disarm();
    const next = this.queue.peek();
    if (!next) return;
    this.armedAt = next.at;
    this.armed = setTimeout(() => this.fire(), Math.max(0, next.at - Date.now()));
    // Simulator timers must never keep a process alive on their own (close() is explicit).
    this.armed.unref();
  }

  private disarm(): void {
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedAt = Infinity;
  }

  private fire(): void {
    this.armed = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    try {
      for (let t = this.queue.popDue(now); t; t = this.queue.popDue(now)) t.fn();
    } finally {
      this.arm();
    }
  }
}

/**
 * Time moves only when advance() is called. Timers fire in (due time, creation order),
 * and the promise work each one starts is allowed to settle before the next fires, so
 * async transitions scheduled inside the simulator run in the same order on every replay.
 */
export class VirtualClock implements Clock {
  readonly kind = "virtual" as const;
  private current: number;
  private nextId = 1;
  private readonly queue = new TimerQueue();
  private advancing: Promise<void> = Promise.resolve();

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.queue.add(id, this.current + Math.max(0, ms), fn);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.queue.cancel(handle.id);
  }

  pendingTimers(): number {
    return this.queue.size;
  }

  /** Cancels every pending timer (reset: work in flight when it began must not wake up later). */
  clearAll(): void {
    this.queue.clear();
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. Calls are serialized. */
  advance(ms: number): Promise<number> {
    const run = this.advancing.then(() => this.advanceNow(ms));
    this.advancing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async advanceNow(ms: number): Promise<number> {
    const target = this.current + Math.max(0, ms);
    await settle();
    for (;;) {
      const next = this.queue.popDue(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
    return this.current;
  }
}

/** Lets pending promise chains (and I/O callbacks already queued) run to completion. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export function createClock(kind: "real" | "virtual", startMs?: number): Clock {
  return kind === "virtual" ? new VirtualClock(startMs ?? Date.UTC(2026, 0, 1)) : new RealClock();
}
