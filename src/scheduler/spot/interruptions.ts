import type { Clock, TimerHandle } from "../../core/clock.js";
import type { DomainEvents, EventBus } from "../../core/events.js";
import type { Logger } from "../../core/logger.js";
import type { SeededRandom } from "../../core/random.js";
import { Messages } from "../../errors/messages.js";
import type { Store } from "../../state/store.js";
import {
  meanIntervalMs,
  SpotPatchSchema,
  SpotConfigError,
  type SpotConfig,
  type SpotPatch,
  type SpotRandom,
} from "./config.js";
import { formatZodIssues } from "../../config.js";
import {
  chooseSubset,
  matchSelection,
  notInterruptible,
  selectionSize,
  SpotSelectionSchema,
  taskIdOf,
  type Candidate,
  type Skipped,
  type SpotSelectionInput,
} from "./selection.js";

export interface SpotInterruptionsDeps {
  clock: Clock;
  store: Store;
  bus: EventBus;
  logger: Logger;
  /** A stream of its own (fork of the simulator's seed): other consumers never shift its draws. */
  random: SeededRandom;
  config: SpotConfig;
  /** Runs the task stop flow with stopCode SpotInterruption and the given reason. */
  /** Stops the task now; SIGKILL comes by `killBy` at the latest (the warning's end). */
  stopTask(taskArn: string, reason: string, killBy: number): void;
}

export interface InterruptionRecord {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  cluster: string;
  service?: string;
  account: string;
  region: string;
  cause: "random" | "on-demand";
  /** When the warning (event, desiredStatus STOPPED, SIGTERM) was given. */
  warningAt: string;
  warningAtMs: number;
  /** The latest time a container still running gets SIGKILL: warningAt + warningMs (and stopTimeout applies too). */
  deadlineMs: number;
}

export interface InterruptResult {
  interrupted: InterruptionRecord[];
  /** Interruptible tasks that matched the selection (before count/fraction). */
  matched: number;
  /** Tasks named in `taskArns` that were not interrupted, and why. */
  skipped: Skipped[];
}

export interface ScheduledInterruption {
  taskArn: string;
  account: string;
  region: string;
  atMs: number;
  at: string;
}

export interface SpotView {
  warningMs: number;
  random: SpotRandom | null;
  /** The mean time to interruption the rate amounts to (ms), when random interruptions are on. */
  meanIntervalMs?: number;
  scheduled: ScheduledInterruption[];
  interruptions: number;
}

export class SpotSelectionError extends Error {}

/**
 * Fargate Spot interruptions, random and on demand. An interruption does what
 * AWS does: desiredStatus STOPPED with stopCode SpotInterruption and "Your Spot Task was
 * interrupted." at once (the task.changed publication is the EventBridge "ECS Task State Change"
 * warning), then the ordinary stop flow: SIGTERM, SIGKILL after the container's stopTimeout, and
 * never later than `warningMs` after the warning; STOPPED with the containers' exit codes; the
 * vCPUs go back to the spot quota at STOPPED.
 *
 * Random interruptions are drawn when a FARGATE_SPOT task becomes RUNNING: an exponential delay
 * with the configured mean, from this service's own seeded stream and on the injected clock, so
 * the same seed and the same calls interrupt the same tasks at the same simulated times.
 */
export class SpotInterruptions {
  private warningMs: number;
  private random: SpotRandom | null;
  private readonly delays: SeededRandom;
  private readonly picks: SeededRandom;
  private readonly timers = new Map<string, { handle: TimerHandle; account: string; region: string; atMs: number }>();
  private readonly log: InterruptionRecord[] = [];
  private total = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: SpotInterruptionsDeps) {
    this.warningMs = deps.config.warningMs;
    this.random = deps.config.random;
    this.delays = deps.random.fork("random-interruptions");
    this.picks = deps.random.fork("on-demand-selection");
    this.unsubscribe = deps.bus.subscribe("task.changed", (p) => this.onTaskChanged(p));
  }

  /**
   * Interrupts the RUNNING FARGATE_SPOT tasks the selection matches, now. Throws
   * SpotSelectionError for an invalid selection.
   */
  interrupt(selection: SpotSelectionInput = {}): InterruptResult {
    const parsed = SpotSelectionSchema.safeParse(selection ?? {});
    if (!parsed.success) throw new SpotSelectionError(`invalid selection: ${formatZodIssues(parsed.error)}`);
    const sel = parsed.data;
    const { matched, skipped } = matchSelection(this.deps.store.allRegions(), sel);
    const chosen = chooseSubset(matched, selectionSize(sel, matched.length), this.picks);
    const interrupted = chosen.map((c) => this.interruptTask(c, "on-demand"));
    this.deps.logger.info(`spot interruption on demand: ${interrupted.length} of ${matched.length} matching tasks`, {
      ...(sel.cluster ? { cluster: sel.cluster } : {}),
      ...(sel.service ? { service: sel.service } : {}),
    });
    return { interrupted, matched: matched.length, skipped };
  }

  /** Interruptions so far, oldest first (bounded by `historySize`); `since` is epoch ms, inclusive. */
  history(since?: number): InterruptionRecord[] {
    return structuredClone(since === undefined ? this.log : this.log.filter((r) => r.warningAtMs >= since));
  }

  view(): SpotView {
    const mean = meanIntervalMs(this.random);
    return {
      warningMs: this.warningMs,
      random: this.random ? { ...this.random } : null,
      ...(mean !== undefined ? { meanIntervalMs: mean } : {}),
      scheduled: [...this.timers].map(([taskArn, t]) => ({
        taskArn,
        account: t.account,
        region: t.region,
        atMs: t.atMs,
        at: new Date(t.atMs).toISOString(),
      })),
      interruptions: this.total,
    };
  }

  /**
   * Changes the warning length or the random rate at run time. A new rate redraws the pending
   * random interruption of every running spot task from now (the process is memoryless, so this
   * is the same as if the rate had always been the new one). Throws SpotConfigError.
   */
  configure(patch: SpotPatch): SpotView {
    const parsed = SpotPatchSchema.safeParse(patch ?? {});
    if (!parsed.success) throw new SpotConfigError(`invalid spot patch: ${formatZodIssues(parsed.error)}`);
    if (parsed.data.warningMs !== undefined) this.warningMs = parsed.data.warningMs;
    if (parsed.data.random !== undefined) {
      this.random = parsed.data.random;
      this.rescheduleAll();
    }
    return this.view();
  }

  /** Back to the configured settings, with no pending timers and no history (POST /_sim/reset). */
  reset(): void {
    for (const t of this.timers.values()) this.deps.clock.clearTimeout(t.handle);
    this.timers.clear();
    this.log.length = 0;
    this.total = 0;
    this.warningMs = this.deps.config.warningMs;
    this.random = this.deps.config.random;
  }

  close(): void {
    this.reset();
    this.unsubscribe();
  }

  // ---- Internals ------------------------------------------------------------------------------

  private onTaskChanged(p: DomainEvents["task.changed"]): void {
    const task = p.task;
    const arn = task.taskArn;
    if (!arn) return;
    if (task.lastStatus === "STOPPED") {
      this.cancel(arn);
      return;
    }
    if (task.desiredStatus === "STOPPED") {
      this.cancel(arn);
      return;
    }
    const becameRunning = task.lastStatus === "RUNNING" && p.previousStatus !== undefined && p.previousStatus !== "RUNNING";
    if (becameRunning && task.capacityProviderName === "FARGATE_SPOT") this.schedule(p.account, p.region, arn);
  }

  private schedule(account: string, region: string, taskArn: string): void {
    const mean = meanIntervalMs(this.random);
    if (mean === undefined) return;
    this.cancel(taskArn);
    const delay = mean === 0 ? 0 : Math.round(this.delays.exponential(mean));
    const atMs = this.deps.clock.now() + delay;
    const handle = this.deps.clock.setTimeout(() => this.fire(account, region, taskArn), delay);
    this.timers.set(taskArn, { handle, account, region, atMs });
  }

  private fire(account: string, region: string, taskArn: string): void {
    this.timers.delete(taskArn);
    const state = this.deps.store.region(account, region);
    const record = state.tasks.get(taskArn);
    if (!record || notInterruptible(record)) return;
    this.interruptTask({ state, record }, "random");
  }

  private rescheduleAll(): void {
    for (const t of this.timers.values()) this.deps.clock.clearTimeout(t.handle);
    this.timers.clear();
    if (meanIntervalMs(this.random) === undefined) return;
    // Store order is creation order, so a replay redraws in the same order.
    for (const state of this.deps.store.allRegions()) {
      for (const record of state.tasks.values()) {
        if (!notInterruptible(record)) this.schedule(state.account, state.region, record.task.taskArn!);
      }
    }
  }

  private cancel(taskArn: string): void {
    const t = this.timers.get(taskArn);
    if (!t) return;
    this.deps.clock.clearTimeout(t.handle);
    this.timers.delete(taskArn);
  }

  private interruptTask(c: Candidate, cause: InterruptionRecord["cause"]): InterruptionRecord {
    const task = c.record.task;
    const arn = task.taskArn!;
    const now = this.deps.clock.now();
    this.cancel(arn);
    const record: InterruptionRecord = {
      taskArn: arn,
      taskId: taskIdOf(arn),
      clusterArn: task.clusterArn!,
      cluster: c.record.clusterName,
      ...(c.record.serviceName ? { service: c.record.serviceName } : {}),
      account: c.state.account,
      region: c.state.region,
      cause,
      warningAt: new Date(now).toISOString(),
      warningAtMs: now,
      deadlineMs: now + this.warningMs,
    };
    this.remember(record);
    this.deps.logger.info(`spot interruption (${cause}) of task ${record.taskId}`, { cluster: record.cluster, warningMs: this.warningMs });
    this.deps.stopTask(arn, Messages.spotInterrupted, record.deadlineMs);
    return structuredClone(record);
  }

  private remember(record: InterruptionRecord): void {
    this.total++;
    this.log.push(record);
    const max = this.deps.config.historySize;
    if (this.log.length > max) this.log.splice(0, this.log.length - max);
  }
}
