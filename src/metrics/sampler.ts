import type { Clock, TimerHandle } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../state/store.js";
import type { MetricSource } from "./sources/source.js";

/**
 * Polls metric sources on the simulator's clock, each on its own period boundaries (CloudWatch
 * stores datapoints per whole period), and files what they read as datapoints at the time the
 * read began. A source nobody needs holds no timer; kick() re-arms it when that changes.
 */
export class MetricSampler {
  private readonly timers = new Map<MetricSource, TimerHandle>();
  private stopped = false;

  constructor(
    private readonly deps: { clock: Clock; logger: Logger; store: Store; sources: MetricSource[] },
  ) {}

  kick(): void {
    if (this.stopped) return;
    for (const source of this.deps.sources) if (!this.timers.has(source) && source.needed()) this.arm(source);
  }

  stop(): void {
    for (const t of this.timers.values()) this.deps.clock.clearTimeout(t);
    this.timers.clear();
  }

  /** After a reset or restart: sources may be needed again. */
  restart(): void {
    this.stop();
    this.kick();
  }

  close(): void {
    this.stopped = true;
    this.stop();
  }

  private arm(source: MetricSource): void {
    const { clock } = this.deps;
    const delay = source.periodMs - (clock.now() % source.periodMs);
    const timer = clock.setTimeout(() => {
      this.timers.delete(source);
      if (!source.needed()) return;
      // Re-armed before the read: a slow read never shifts the next boundary.
      this.arm(source);
      void this.read(source);
    }, delay);
    this.timers.set(source, timer);
  }

  private async read(source: MetricSource): Promise<void> {
    const t = this.deps.clock.now();
    try {
      for (const sample of await source.sample(t)) {
        if (sample.values.length === 0) continue;
        const sum = sample.values.reduce((a, b) => a + b, 0);
        this.deps.store
          .region(sample.scope.account, sample.scope.region)
          .metrics.put(sample.id, { t, sum, count: sample.values.length, min: Math.min(...sample.values), max: Math.max(...sample.values) });
      }
    } catch (err) {
      this.deps.logger.warn(`metrics: ${source.name} could not be read: ${(err as Error).message}`);
    }
  }
}
