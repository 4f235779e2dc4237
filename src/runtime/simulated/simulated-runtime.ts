import { flatString } from "../../core/flat-string.js";
import { Messages } from "../../errors/messages.js";
import { qualifiedImageRef } from "../../domain/images.js";
import type { HealthCheck } from "@aws-sdk/client-ecs";
import type { SimulatedRule } from "../../config.js";
import type { Clock, TimerHandle } from "../../core/clock.js";
import type { SeededRandom } from "../../core/random.js";
import type { ContainerLogs, LogDestination } from "../container-logs.js";
import { Deferred } from "../deferred.js";
import { waitForDependencies, type DependencyTarget } from "../dependencies.js";
import {
  TaskStartError,
  type ContainerHealth,
  type RuntimeContainerSpec,
  type RuntimeEvent,
  type RuntimeListener,
  type RuntimeTaskSpec,
  type StartedContainer,
  type StartResult,
  type StopRequest,
  type TaskRuntime,
  type TaskUsage,
} from "../types.js";
import { loadAt, type LoadStep } from "./load-profile.js";
import { BEHAVIOR_ENV, describeBehavior, resolveBehavior, type BehaviorDefaults, type ContainerBehavior } from "./behavior.js";

/** Said once when the simulator starts with this runtime, so a waiter that never returns is explained. */
export const SIMULATED_RUNTIME_NOTE =
  `simulated runtime: no containers run; each simulated container runs until stopped unless ${BEHAVIOR_ENV.runMs} ` +
  `(or a simulated.rules entry) gives it a run time, and writes what ${BEHAVIOR_ENV.log} says to its awslogs stream`;

interface SimContainer {
  spec: RuntimeContainerSpec;
  behavior: ContainerBehavior;
  state: "PENDING" | "RUNNING" | "STOPPED";
  timers: TimerHandle[];
  log: LogDestination | undefined;
  everStarted: boolean;
  startedAt: number | undefined;
  exitCode?: number;
  health: ContainerHealth;
  /** Created only when a dependent waits (most containers have none): memory per task matters at scale. */
  waiters?: { started?: Deferred<void>; exited?: Deferred<number | undefined>; healthy?: Deferred<void> };
}

interface SimTask {
  spec: RuntimeTaskSpec;
  /** In definition order; an array, not a Map: a task has a few containers and a Map costs ~150 bytes. */
  containers: SimContainer[];
  stopping: boolean;
  /** Resolved once the task is stopping, so dependency waits end and release their timers. */
  abandoned?: Deferred<void>;
}

export interface SimulatedRuntimeOptions {
  clock: Clock;
  random: SeededRandom;
  listener: RuntimeListener;
  rules: SimulatedRule[];
  defaults: BehaviorDefaults;
  /** Where containers write: their awslogs streams (missing groups fail the start as on Fargate). */
  logs: ContainerLogs;
  /** How long a container waits for its dependsOn conditions when it has no startTimeout. */
  dependencyTimeoutMs: number;
}

/**
 * Runs nothing: each container is a set of timers on the simulator's clock. Behaviour (run time,
 * exit code, log lines, reaction to SIGTERM, health) comes from resolveBehavior, so a test can
 * script a task without Docker and replay it exactly under the virtual clock. Start order,
 * health-check timing and log destinations follow the same rules as the Docker runtime.
 */
export class SimulatedRuntime implements TaskRuntime {
  readonly kind = "simulated" as const;
  private readonly tasks = new Map<string, SimTask>();
  /** The default line is the same for every task of a definition: one string serves them all. */
  private readonly descriptions = new Map<string, string>();

  constructor(private readonly opts: SimulatedRuntimeOptions) {}

  /**
   * The load its containers' ECS_SIM_CPU / ECS_SIM_MEMORY profiles give now: each is a share of the
   * task's reservation, so the running containers' shares add up.
   */
  async usage(taskArn: string): Promise<TaskUsage | undefined> {
    const task = this.tasks.get(taskArn);
    const running = (task?.containers ?? []).filter((c) => c.state === "RUNNING");
    if (running.length === 0) return undefined;
    const now = this.opts.clock.now();
    const sum = (pick: (c: SimContainer) => LoadStep[] | undefined) => running.reduce((n, c) => n + loadAt(pick(c), now - (c.startedAt ?? now)), 0);
    return { cpuPercent: sum((c) => c.behavior.cpuLoad), memoryPercent: sum((c) => c.behavior.memoryLoad) };
  }

  async prepare(spec: RuntimeTaskSpec): Promise<void> {
    const containers = spec.containers.map(
      (c): SimContainer => ({
        spec: c,
        behavior: resolveBehavior(spec, c, this.opts.rules, this.opts.defaults, this.opts.random),
        state: "PENDING",
        timers: [],
        // Every field present from the start keeps one hidden class and no out-of-object storage.
        log: undefined,
        everStarted: false,
        startedAt: undefined,
        health: "UNKNOWN",
      }),
    );
    this.tasks.set(spec.taskArn, { spec, containers, stopping: false });
    const failing = containers.find((c) => c.behavior.pullError)?.spec;
    if (failing) {
      throw new TaskStartError(
        Messages.imageNotFound(qualifiedImageRef(failing.image)),
        Object.fromEntries(spec.containers.map((c) => [c.name, "CannotPullContainerError: image could not be pulled"])),
      );
    }
  }

  /** Starts every container once its dependsOn conditions hold; resolves when all have started (or never will). */
  async start(spec: RuntimeTaskSpec): Promise<StartResult> {
    if (!this.tasks.has(spec.taskArn)) await this.prepare(spec);
    const task = this.tasks.get(spec.taskArn)!;
    const logs = this.opts.logs.open(spec);
    for (const c of task.containers) c.log = logs.get(c.spec.name);

    // The first unmet dependency fails the start at once, as the agent does, without waiting
    // for containers that can no longer start.
    const failed = new Deferred<never>();
    const launches = task.containers.map((c) =>
      this.launch(task, c).catch((err: unknown) => {
        failed.reject(err instanceof Error ? err : new Error(String(err)));
        return undefined;
      }),
    );
    try {
      const started = await Promise.race([Promise.all(launches), failed.promise]);
      return { containers: started.filter((c): c is StartedContainer => c !== undefined) };
    } catch (err) {
      this.abandon(task);
      if (err instanceof TaskStartError) throw err;
      throw new TaskStartError(`CannotStartContainerError: ${(err as Error).message}`);
    }
  }

  async stop(taskArn: string, request: StopRequest): Promise<void> {
    const task = this.tasks.get(taskArn);
    if (!task) return;
    this.abandon(task);
    for (const c of task.containers) {
      if (c.state === "PENDING") {
        // Never started (waiting on a dependency): it ends without an exit code.
        this.exit(task, c, undefined);
        continue;
      }
      if (c.state !== "RUNNING") continue;
      const killAfter = request.timeoutMs(c.spec.name);
      if (c.behavior.onSigterm === "exit" && c.behavior.sigtermDelayMs < killAfter) {
        c.timers.push(this.opts.clock.setTimeout(() => this.exit(task, c, 143), c.behavior.sigtermDelayMs));
      } else {
        c.timers.push(this.opts.clock.setTimeout(() => this.exit(task, c, 137), killAfter));
      }
    }
  }

  async remove(taskArn: string): Promise<void> {
    const task = this.tasks.get(taskArn);
    if (!task) return;
    this.abandon(task);
    for (const c of task.containers) this.clearTimers(c);
    this.tasks.delete(taskArn);
  }

  async close(): Promise<void> {
    for (const arn of [...this.tasks.keys()]) await this.remove(arn);
  }

  /**
   * A restart with persisted state: the containers that were running run again with their whole
   * run time (simulated containers have no process that could have outlived the simulator).
   * Their dependencies were met before the restart, so they are not waited for again.
   */
  async adopt(spec: RuntimeTaskSpec, running: string[]): Promise<string[]> {
    if (!this.tasks.has(spec.taskArn)) await this.prepare(spec).catch(() => undefined);
    const task = this.tasks.get(spec.taskArn);
    if (!task) return [];
    const logs = this.opts.logs.open(spec);
    const adopted: string[] = [];
    for (const c of task.containers) {
      c.log = logs.get(c.spec.name);
      if (running.includes(c.spec.name) && (await this.launch(task, c, { resume: true }))) adopted.push(c.spec.name);
    }
    return adopted;
  }

  /** Nothing of an earlier process survives in memory. */
  async releaseUnadopted(): Promise<void> {}

  /**
   * Starts one container once its dependencies allow. `resume`: a container the task record
   * already shows RUNNING (after a restart): no dependency wait, no new runtime id drawn (the
   * random streams must go on as in a run that never stopped), no start reported again.
   */
  private async launch(task: SimTask, c: SimContainer, opts: { resume?: boolean } = {}): Promise<StartedContainer | undefined> {
    const timeoutMs = c.spec.startTimeout !== undefined ? c.spec.startTimeout * 1000 : this.opts.dependencyTimeoutMs;
    try {
      if (!opts.resume && c.spec.dependsOn.length > 0 && !task.stopping) {
        task.abandoned ??= new Deferred<void>();
        const lookup = (name: string): DependencyTarget | undefined => {
          const dep = task.containers.find((x) => x.spec.name === name);
          return dep && this.dependencyTarget(dep);
        };
        await waitForDependencies(c.spec.name, c.spec.dependsOn, lookup, this.opts.clock, timeoutMs, task.abandoned.promise);
      }
    } catch (err) {
      if (task.stopping) return undefined;
      throw err;
    }
    if (task.stopping || c.state !== "PENDING") return undefined;
    c.state = "RUNNING";
    c.startedAt = this.opts.clock.now();
    const started: StartedContainer = {
      name: c.spec.name,
      runtimeId: opts.resume ? "" : flatString(`${task.spec.taskId}-${this.opts.random.hex(10)}`),
      networkBindings: c.spec.portMappings.map((p, i) => ({
        bindIP: "0.0.0.0",
        containerPort: p.containerPort ?? 0,
        // On a container instance, placement chose the host port (dynamic ones included).
        hostPort: task.spec.containerInstance?.hostPorts[c.spec.name]?.[i] || p.hostPort || p.containerPort || 0,
        protocol: p.protocol ?? "tcp",
      })),
    };
    // Log lines and health checks are scheduled before the exit, so those due at the same
    // instant happen first.
    this.writeLog(c);
    if (c.spec.healthCheck?.command?.length && c.spec.healthCheck.command[0] !== "NONE") {
      this.scheduleHealthChecks(task, c, c.spec.healthCheck);
    }
    if (c.behavior.runMs !== undefined) {
      c.timers.push(this.opts.clock.setTimeout(() => this.exit(task, c, c.behavior.exitCode, c.behavior.reason), c.behavior.runMs));
    }
    c.everStarted = true;
    c.waiters?.started?.resolve();
    if (!opts.resume) this.emit({ type: "container-started", taskArn: task.spec.taskArn, container: started });
    return started;
  }

  private abandon(task: SimTask): void {
    task.stopping = true;
    task.abandoned?.resolve();
  }

  /** What a dependent may wait for, as promises made on demand from the container's state. */
  private dependencyTarget(c: SimContainer): DependencyTarget {
    const waiters = (c.waiters ??= {});
    return {
      started: {
        get promise() {
          return c.everStarted ? Promise.resolve() : (waiters.started ??= new Deferred<void>()).promise;
        },
      },
      exited: {
        get promise() {
          return c.state === "STOPPED" ? Promise.resolve(c.exitCode) : (waiters.exited ??= new Deferred<number | undefined>()).promise;
        },
      },
      healthy: {
        get promise() {
          return c.health === "HEALTHY" ? Promise.resolve() : (waiters.healthy ??= new Deferred<void>()).promise;
        },
        get settled() {
          return c.health === "HEALTHY";
        },
      },
    };
  }

  /** The scripted lines (or the description of the simulation) into the container's stream. */
  private writeLog(c: SimContainer): void {
    const log = c.log;
    if (!log) return;
    const lines = c.behavior.log ?? [{ delayMs: 0, message: this.description(c) }];
    let at = 0;
    for (const line of lines) {
      at += line.delayMs;
      if (at === 0) log.store.append(log.group, log.stream, line.message);
      else c.timers.push(this.opts.clock.setTimeout(() => log.store.append(log.group, log.stream, line.message), at));
    }
  }

  private description(c: SimContainer): string {
    const text = describeBehavior(c.spec, c.behavior);
    const shared = this.descriptions.get(text);
    if (shared !== undefined) return shared;
    if (this.descriptions.size >= 1_000) this.descriptions.clear();
    this.descriptions.set(text, text);
    return text;
  }

  /**
   * Docker's (and so ECS's) health-check timing: the first check `interval` after the start,
   * then one every `interval`; a failure counts only once `startPeriod` has passed (or after a
   * success), and `retries` counted failures in a row make the container UNHEALTHY. The outcome
   * of a simulated check never changes, so checking stops once the status is settled.
   */
  private scheduleHealthChecks(task: SimTask, c: SimContainer, hc: HealthCheck): void {
    const intervalMs = (hc.interval ?? 30) * 1000;
    const startPeriodMs = (hc.startPeriod ?? 0) * 1000;
    const retries = hc.retries ?? 3;
    let elapsed = 0;
    let failures = 0;
    const check = (): void => {
      elapsed += intervalMs;
      if (c.behavior.health === "HEALTHY") return this.setHealth(task, c, "HEALTHY");
      if (elapsed >= startPeriodMs) failures++;
      if (failures >= retries) return this.setHealth(task, c, "UNHEALTHY");
      c.timers.push(this.opts.clock.setTimeout(check, intervalMs));
    };
    c.timers.push(this.opts.clock.setTimeout(check, intervalMs));
  }

  private setHealth(task: SimTask, c: SimContainer, status: ContainerHealth): void {
    if (c.state !== "RUNNING" || c.health === status) return;
    c.health = status;
    if (status === "HEALTHY") c.waiters?.healthy?.resolve();
    this.emit({ type: "container-health", taskArn: task.spec.taskArn, name: c.spec.name, status });
  }

  private exit(task: SimTask, c: SimContainer, exitCode: number | undefined, reason?: string): void {
    if (c.state === "STOPPED") return;
    c.state = "STOPPED";
    this.clearTimers(c);
    c.exitCode = exitCode;
    c.waiters?.exited?.resolve(exitCode);
    const event: RuntimeEvent = { type: "container-exited", taskArn: task.spec.taskArn, name: c.spec.name };
    if (exitCode !== undefined) event.exitCode = exitCode;
    if (reason) event.reason = reason;
    this.emit(event);
  }

  private emit(event: RuntimeEvent): void {
    this.opts.listener(event);
  }

  private clearTimers(c: SimContainer): void {
    for (const t of c.timers) this.opts.clock.clearTimeout(t);
    c.timers = [];
  }
}

