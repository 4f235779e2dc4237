import type { LimitDecision } from "../core/events.js";

/**
 * A bounded ring of limit decisions for GET /_sim/throttles: the newest `capacity` are kept, so a
 * long run under throttling cannot grow memory without bound.
 */
export class DecisionLog {
  private readonly items: LimitDecision[] = [];
  private start = 0;
  private dropped = 0;

  constructor(private capacity: number) {}

  add(decision: LimitDecision): void {
    if (this.items.length < this.capacity) {
      this.items.push(decision);
      return;
    }
    this.items[this.start] = decision;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
  }

  /** Oldest first; `since` (epoch ms) is inclusive, so polling with the last seen time may repeat it. */
  list(since?: number): LimitDecision[] {
    const ordered = [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
    return since === undefined ? ordered : ordered.filter((d) => d.time >= since);
  }

  /** How many decisions fell off the end since the last clear. */
  get droppedCount(): number {
    return this.dropped;
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
    this.dropped = 0;
  }
}
