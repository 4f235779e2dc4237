/**
 * A few network holders (pause containers) created and started ahead of need, so an awsvpc task
 * without published ports skips the create + start + inspect of its own holder: those are most of
 * what an awsvpc launch costs beyond a bridge one. A holder is taken by exactly one task and never
 * returns to the pool: each task still gets its own namespace and address.
 */
import type { Logger } from "../../core/logger.js";

export interface PooledHolder {
  id: string;
  name: string;
  privateIp?: string;
  macAddress?: string;
}

export interface HolderPoolOptions {
  /** Holders kept ready (0 disables the pool). */
  size: number;
  /** Creates, starts and inspects one holder; runs behind the launches (the caller's queue decides). */
  create: (name: string) => Promise<PooledHolder>;
  remove: (id: string) => Promise<void>;
  logger: Logger;
  /** Prefix of the holders' container names while they wait in the pool. */
  namePrefix: string;
}

export class HolderPool {
  private readonly ready: PooledHolder[] = [];
  private readonly creating = new Set<Promise<void>>();
  private closed = false;
  private counter = 0;
  /** Consecutive failed creations: refilling stops after a few instead of hammering a broken engine. */
  private failures = 0;

  constructor(private readonly opts: HolderPoolOptions) {}

  get size(): number {
    return this.opts.size;
  }

  /** Holders ready now (for tests and diagnostics). */
  get readyCount(): number {
    return this.ready.length;
  }

  has(id: string): boolean {
    return this.ready.some((h) => h.id === id);
  }

  /** A started holder for one task, if one is ready; the pool refills in the background. */
  take(): PooledHolder | undefined {
    const holder = this.ready.shift();
    this.fill();
    return holder;
  }

  /** Starts creating holders until ready + in creation reaches the pool size. */
  fill(): void {
    if (this.closed || this.failures >= 3) return;
    while (this.ready.length + this.creating.size < this.opts.size) {
      const name = `${this.opts.namePrefix}-${++this.counter}`;
      const work: Promise<void> = this.opts
        .create(name)
        .then(
          (holder) => {
            this.failures = 0;
            if (this.closed) return this.opts.remove(holder.id);
            this.ready.push(holder);
          },
          (err: Error) => {
            this.failures++;
            if (!this.closed) this.opts.logger.warn("could not start a pooled network holder", { error: err.message });
          },
        )
        .finally(() => {
          this.creating.delete(work);
          if (this.failures > 0 && this.failures < 3) this.fill();
        });
      this.creating.add(work);
    }
  }

  /** Resolves once no creation is in flight (the pool is full, or refilling gave up). */
  async settled(): Promise<void> {
    while (this.creating.size) await Promise.allSettled([...this.creating]);
  }

  /** A pooled holder died or vanished: drop it and make another. */
  discard(id: string): void {
    const i = this.ready.findIndex((h) => h.id === id);
    if (i < 0) return;
    this.ready.splice(i, 1);
    void this.opts.remove(id).catch(() => undefined);
    this.fill();
  }

  /** Stops refilling, waits for creations in flight, removes every holder still in the pool. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.creating]);
    const left = this.ready.splice(0);
    await Promise.allSettled(left.map((h) => this.opts.remove(h.id)));
  }
}
