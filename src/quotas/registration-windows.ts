import type { Clock, TimerHandle } from "../core/clock.js";

interface InFlight {
  account: string;
  region: string;
  family: string;
  until: number;
  timers: Array<{ clock: Clock; handle: TimerHandle }>;
  answer: () => void;
}

/**
 * Per-family RegisterTaskDefinition contention. AWS refuses a registration of a family while
 * another one is in flight and documents no duration, so each accepted registration stays in
 * flight for `windowMs` and is answered when that ends: a caller that waits for its answer before
 * sending the next one never collides, calls that overlap do. Refused attempts hold nothing.
 * Keys include account and Region, so families are independent.
 *
 * The window runs on the simulator's clock. When that clock is virtual, a `wall` clock may end it
 * too (whichever comes first), so a client that never advances virtual time is still answered.
 */
export class RegistrationWindows {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly clock: Clock,
    private readonly wall?: Clock,
  ) {}

  /**
   * Undefined when a registration of this family is in flight; otherwise marks one in flight and
   * returns a promise that settles, with the family free again, when its answer is due.
   */
  tryStart(account: string, region: string, family: string, windowMs: number): Promise<void> | undefined {
    const key = `${account}|${region}|${family}`;
    if (this.inFlight.has(key)) return undefined;
    if (windowMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const entry: InFlight = { account, region, family, until: this.clock.now() + windowMs, timers: [], answer: resolve };
      const end = () => this.finish(key, entry);
      entry.timers.push({ clock: this.clock, handle: this.clock.setTimeout(end, windowMs) });
      if (this.wall) entry.timers.push({ clock: this.wall, handle: this.wall.setTimeout(end, windowMs) });
      this.inFlight.set(key, entry);
    });
  }

  /** Registrations in flight, with the simulator-clock time left in their window. */
  open(now: number): Array<{ account: string; region: string; family: string; remainingMs: number }> {
    return [...this.inFlight.values()].map((w) => ({
      account: w.account,
      region: w.region,
      family: w.family,
      remainingMs: Math.max(0, w.until - now),
    }));
  }

  /** Answers every registration in flight at once and frees its family. */
  clear(): void {
    for (const [key, entry] of [...this.inFlight]) this.finish(key, entry);
  }

  private finish(key: string, entry: InFlight): void {
    if (this.inFlight.get(key) !== entry) return;
    this.inFlight.delete(key);
    for (const t of entry.timers) t.clock.clearTimeout(t.handle);
    entry.answer();
  }
}
