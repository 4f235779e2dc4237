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

export class RealClock implements Clock {
  readonly kind = "real" as const;
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms));
    // Simulator timers must never keep a process alive on their own (close() is explicit).
    t.unref();
    this.timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }

  /** Cancels every pending timer (used on shutdown). */
  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

interface VirtualTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
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
  private seq = 0;
  private readonly timers = new Map<number, VirtualTimer>();
  private advancing: Promise<void> = Promise.resolve();

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), seq: this.seq++, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  /** Cancels every pending timer (reset: work in flight when it began must not wake up later). */
  clearAll(): void {
    this.timers.clear();
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
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
    return this.current;
  }

  private nextDue(target: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers.values()) {
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
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
