import { cloneData } from "../core/clone-data.js";
import { flatString } from "../core/flat-string.js";
import type { Container, NetworkBinding, Task, TaskStopCode } from "@aws-sdk/client-ecs";
import type { ImageFaults } from "./image-faults.js";
import type { SimContext } from "../context.js";
import type { TimerHandle } from "../core/clock.js";
import type { Scope } from "../domain/scope.js";
import { Messages } from "../errors/messages.js";
import { TaskStartError, type RuntimeEvent, type RuntimeTaskSpec, type StartedContainer, type StopRequest, type TaskRuntime } from "../runtime/types.js";
import type { TaskRecord } from "../state/store.js";
import type { StageTiming, TimingProfile } from "./timing.js";

/** Tasks whose containers may still be running after a restart: the runtime is asked to adopt them. */
const ADOPTABLE = new Set(["RUNNING", "DEACTIVATING", "STOPPING"]);

export type TaskStatus =
  | "PROVISIONING"
  | "PENDING"
  | "ACTIVATING"
  | "RUNNING"
  | "DEACTIVATING"
  | "STOPPING"
  | "DEPROVISIONING"
  | "STOPPED";

interface Driver {
  scope: Scope;
  record: TaskRecord;
  spec: RuntimeTaskSpec;
  launching?: Promise<void>;
  stopping?: Promise<void>;
  /**
   * Names of the containers that started and that exited. Arrays rather than Sets: a task has a
   * few containers, and an empty Set costs about 100 bytes per task at scale.
   */
  started: string[];
  exited: string[];
  onAllExited?: () => void;
  expiry?: TimerHandle;
  /** Latest time SIGKILL may come (a spot warning's end), whatever the containers' stopTimeout. */
  killBy?: number;
  /** True while the runtime starts containers (possibly waiting on dependsOn conditions). */
  starting?: boolean;
  /**
   * A task waiting in PROVISIONING for capacity (an Auto Scaling capacity provider scaling out):
   * resolves with the spec once placed, or undefined when it never will be (stopped, timed out).
   */
  capacity?: () => Promise<RuntimeTaskSpec | undefined>;
}

/**
 * Moves a task through the Fargate lifecycle:
 *   PROVISIONING -> PENDING -> ACTIVATING -> RUNNING -> DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED
 * Each stage waits its timing-profile delay on the simulator's clock; the runtime is asked to pull,
 * start and signal containers, and reports exits back. A stop request at any point diverts the
 * launch at its next stage boundary. Every change bumps `version` and is published.
 */
export class TaskLifecycle {
  private readonly drivers = new Map<string, Driver>();
  /** Stage delays in progress, so shutdown can end them at once. */
  private readonly sleeps = new Map<TimerHandle, () => void>();
  /** Set when shutdown begins: no launch goes past its current step, none reaches RUNNING. */
  private closing = false;
  private lastNow: Date | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly runtime: TaskRuntime,
    private readonly timing: TimingProfile,
    private readonly images?: ImageFaults,
  ) {}

  launch(scope: Scope, record: TaskRecord, spec: RuntimeTaskSpec, capacity?: () => Promise<RuntimeTaskSpec | undefined>): void {
    const driver: Driver = { scope, record, spec, started: [], exited: [], ...(capacity ? { capacity } : {}) };
    this.drivers.set(record.task.taskArn!, driver);
    this.publish(driver);
    this.startLaunch(driver);
  }

  /**
   * Records the stop request (desiredStatus STOPPED) and starts the stop flow once. `signalAtOnce`
   * skips the RUNNING dwell and the DEACTIVATING delay, so SIGTERM goes out with the stop event
   * (Fargate Spot delivers the interruption event and SIGTERM together); `killBy` brings SIGKILL
   * forward to that time when the containers' stopTimeout would come later (the warning's end).
   */
  requestStop(
    taskArn: string,
    stopCode: TaskStopCode,
    reason: string,
    opts: { signalAtOnce?: boolean; killBy?: number } = {},
  ): void {
    const d = this.drivers.get(taskArn);
    if (!d) return;
    const task = d.record.task;
    if (task.desiredStatus === "STOPPED") return;
    task.desiredStatus = "STOPPED";
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.stoppingAt = this.now();
    if (opts.killBy !== undefined) d.killBy = opts.killBy;
    this.bump(d);
    // Containers still waiting on dependsOn would hold the stop until their timeout: the runtime
    // is told now, so those never start and the start returns with what is running.
    if (d.starting) void this.runtime.stop(taskArn, this.stopRequest(d)).catch((err) => this.crash(d, err));
    d.stopping = this.runStop(d, opts.signalAtOnce ?? false).catch((err) => this.crash(d, err));
  }

  handleRuntimeEvent(event: RuntimeEvent): void {
    const d = this.drivers.get(event.taskArn);
    if (!d) return;
    if (event.type === "container-started") {
      // A container that starts while others wait on dependsOn shows RUNNING before the task
      // does. No version bump: the task's own transitions carry the change, as AWS counts them.
      this.containerStarted(d, event.container);
      return;
    }
    if (event.type === "network-lost") return this.networkLost(d);
    const container = d.record.task.containers?.find((c) => c.name === event.name);
    if (!container) return;
    if (event.type === "container-health") {
      if (container.healthStatus === event.status) return;
      container.healthStatus = event.status;
      d.record.task.healthStatus = aggregateHealth(d.record.task, d.spec);
      this.bump(d);
      return;
    }
    this.containerExited(d, container, event.exitCode, event.reason);
  }

  /**
   * After a restart with persisted state (`--state-dir`), takes every persisted task over where it
   * stood. The runtime first adopts the containers of tasks that had them running and removes
   * whatever else it finds of this state; then each task goes on:
   *   STOPPED: its expiry is scheduled again;
   *   RUNNING: containers that vanished meanwhile count as exited, and an essential one gone stops
   *            the task (InfrastructureHealth); the others run on;
   *   being stopped: the stop flow runs again from where it applies;
   *   starting (PROVISIONING..ACTIVATING): launched again from the start.
   */
  async resumeAll(items: { scope: Scope; record: TaskRecord; spec: RuntimeTaskSpec }[]): Promise<void> {
    const adopted = new Map<string, string[]>();
    for (const { record, spec } of items) {
      if (!ADOPTABLE.has(record.task.lastStatus ?? "")) continue;
      const wasRunning = (record.task.containers ?? []).filter((c) => c.lastStatus === "RUNNING").map((c) => c.name!);
      adopted.set(spec.taskArn, await this.runtime.adopt(spec, wasRunning));
    }
    await this.runtime.releaseUnadopted([...adopted.keys()]);
    for (const item of items) this.resume(item.scope, item.record, item.spec, adopted.get(item.spec.taskArn));
  }

  private resume(scope: Scope, record: TaskRecord, spec: RuntimeTaskSpec, running: string[] | undefined): void {
    const d: Driver = { scope, record, spec, started: [], exited: [] };
    const task = record.task;
    this.drivers.set(task.taskArn!, d);
    if (task.lastStatus === "STOPPED") {
      const left = Math.max(0, (record.expiresAt ?? this.ctx.clock.now()) - this.ctx.clock.now());
      d.expiry = this.ctx.clock.setTimeout(() => this.expire(d), left);
      return;
    }
    if (task.desiredStatus !== "STOPPED" && !running) return this.relaunch(d);

    const alive = new Set(running ?? []);
    let essentialGone = false;
    let changed = false;
    for (const c of task.containers ?? []) {
      if (alive.has(c.name!)) {
        addName(d.started, c.name!);
        continue;
      }
      if (c.lastStatus !== "RUNNING" && c.lastStatus !== "STOPPED") continue;
      addName(d.started, c.name!);
      addName(d.exited, c.name!);
      if (c.lastStatus === "RUNNING") {
        changed = true;
        c.lastStatus = "STOPPED";
        c.reason = Messages.containerGoneAtRestart;
        essentialGone ||= spec.containers.find((x) => x.name === c.name)?.essential ?? false;
      }
    }
    if (changed) this.bump(d);
    if (task.desiredStatus !== "STOPPED") {
      if (essentialGone) this.requestStop(task.taskArn!, "InfrastructureHealth", Messages.containersGoneAtRestart);
      return;
    }
    d.stopping = (task.lastStatus === "DEPROVISIONING" ? this.wait(this.timing.deprovisioning).then(() => this.finish(d)) : this.runStop(d, true)).catch(
      (err) => this.crash(d, err),
    );
  }

  /** A launch the restart interrupted starts over: nothing of it runs any more. */
  private relaunch(d: Driver): void {
    const task = d.record.task;
    d.record.containersStarted = false;
    for (const c of task.containers ?? []) {
      c.lastStatus = "PENDING";
      delete c.runtimeId;
      delete c.exitCode;
      c.networkBindings = [];
    }
    delete task.pullStartedAt;
    delete task.pullStoppedAt;
    this.transition(d, "PROVISIONING");
    this.startLaunch(d);
  }

  private startLaunch(d: Driver): void {
    d.launching = this.runLaunch(d).catch((err) => this.crash(d, err));
  }

  /**
   * Shutdown, first step: stops admitting work. Launches end at their next step (the runtime call in
   * progress finishes or fails), pending stage delays end now, and no task reaches RUNNING.
   */
  beginShutdown(): void {
    this.closing = true;
    for (const [handle, resolve] of this.sleeps) {
      this.ctx.clock.clearTimeout(handle);
      resolve();
    }
    this.sleeps.clear();
  }

  /**
   * Waits for the launches in flight to return, at most `boundMs` of wall time (the virtual clock
   * does not move during shutdown, so the bound cannot be on it).
   */
  async drainLaunches(boundMs: number): Promise<void> {
    const launches = [...this.drivers.values()].flatMap((d) => (d.launching ? [d.launching] : []));
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
    });
    await Promise.race([Promise.allSettled(launches), bound]);
    clearTimeout(timer);
  }

  /** Cancels timers; used on shutdown and reset. */
  dispose(): void {
    for (const d of this.drivers.values()) this.ctx.clock.clearTimeout(d.expiry);
    this.drivers.clear();
  }

  private async runLaunch(d: Driver): Promise<void> {
    const task = d.record.task;
    await this.wait(this.timing.provisioning);
    if (this.halted(d)) return;
    if (d.capacity) {
      const placed = await d.capacity();
      if (!placed || this.halted(d)) return;
      d.spec = placed;
    }

    this.attachEni(d);
    task.connectivity = "CONNECTED";
    task.connectivityAt = this.now();
    task.pullStartedAt = this.now();
    this.transition(d, "PENDING");
    try {
      this.images?.check(d.spec);
      await this.runtime.prepare(d.spec);
      await this.wait(this.timing.pull);
      task.pullStoppedAt = this.now();
      if (this.halted(d)) return;
      d.starting = true;
      const result = await this.runtime.start(d.spec).finally(() => (d.starting = false));
      d.record.containersStarted = true;
      for (const started of result.containers) this.containerStarted(d, started);
      if (result.privateIp) this.attachEni(d, result.privateIp, result.macAddress);
    } catch (err) {
      if (err instanceof TaskStartError) return this.failStart(d, err);
      throw err;
    }
    if (this.closing) return;
    this.transition(d, "ACTIVATING");
    await this.wait(this.timing.activating);
    if (this.closing) return;
    // Containers have started, so the task shows RUNNING even if an essential one already
    // exited (as on Fargate); only a user stop before this point skips RUNNING.
    if (task.desiredStatus === "STOPPED" && task.stopCode !== "EssentialContainerExited") return;
    task.startedAt = this.now();
    this.transition(d, "RUNNING");
  }

  private async runStop(d: Driver, signalAtOnce: boolean): Promise<void> {
    await d.launching;
    const task = d.record.task;
    if (task.lastStatus === "STOPPED") return;
    if (task.lastStatus === "RUNNING") {
      const dwell = this.delay(this.timing.minRunning) - (this.ctx.clock.now() - (task.startedAt?.getTime() ?? 0));
      if (dwell > 0 && !signalAtOnce) await this.sleep(dwell);
      this.transition(d, "DEACTIVATING");
      if (!signalAtOnce) await this.wait(this.timing.deactivating);
    }
    if (d.record.containersStarted) {
      this.transition(d, "STOPPING");
      const allExited = this.allExited(d);
      await this.runtime.stop(task.taskArn!, this.stopRequest(d));
      await allExited;
      task.executionStoppedAt = this.now();
    }
    this.transition(d, "DEPROVISIONING");
    await this.wait(this.timing.deprovisioning);
    this.finish(d);
  }

  private stopRequest(d: Driver): StopRequest {
    const untilKill = d.killBy === undefined ? Infinity : Math.max(0, d.killBy - this.ctx.clock.now());
    return {
      signal: "SIGTERM",
      timeoutMs: (name) => Math.min((d.spec.containers.find((c) => c.name === name)?.stopTimeout ?? 30) * 1000, untilKill),
    };
  }

  private failStart(d: Driver, err: TaskStartError): void {
    const task = d.record.task;
    for (const c of task.containers ?? []) {
      c.lastStatus = "STOPPED";
      const reason = err.containerReasons[c.name!];
      if (reason) c.reason = reason.slice(0, 1024);
    }
    task.desiredStatus = "STOPPED";
    task.stopCode = "TaskFailedToStart";
    task.stoppedReason = err.stoppedReason;
    task.stoppingAt = this.now();
    task.executionStoppedAt = this.now();
    this.transition(d, "DEPROVISIONING");
    d.stopping = this.wait(this.timing.deprovisioning).then(() => this.finish(d));
  }

  private finish(d: Driver): void {
    const task = d.record.task;
    for (const c of task.containers ?? []) c.lastStatus = "STOPPED";
    task.stoppedAt = this.now();
    const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface");
    if (eni) eni.status = "DELETED";
    this.ctx.quotas.release(d.scope, task.taskArn!);
    this.transition(d, "STOPPED");
    void this.runtime.remove(task.taskArn!).catch((err) =>
      this.ctx.logger.warn(`runtime could not remove task ${task.taskArn}`, { error: String(err) }),
    );
    d.expiry = this.ctx.clock.setTimeout(() => this.expire(d), this.ctx.config.stoppedTaskRetentionMs);
    d.record.expiresAt = this.ctx.clock.now() + this.ctx.config.stoppedTaskRetentionMs;
  }

  private expire(d: Driver): void {
    const arn = d.record.task.taskArn!;
    const region = this.ctx.store.region(d.scope.account, d.scope.region);
    region.tasks.delete(arn);
    // Its tags go with it; they were kept per ARN and would otherwise outlive every expired task.
    region.tags.delete(arn);
    this.drivers.delete(arn);
  }

  private containerStarted(d: Driver, started: StartedContainer): void {
    addName(d.started, started.name);
    const c = d.record.task.containers?.find((x) => x.name === started.name);
    if (!c) return;
    c.runtimeId = started.runtimeId;
    if (started.imageDigest) c.imageDigest = started.imageDigest;
    const bindings = (started.networkBindings ?? []) as NetworkBinding[];
    // The front door and the admin views need the address that really answers on this machine.
    const reachable = (started.publishedBindings ?? started.networkBindings ?? []) as NetworkBinding[];
    if (reachable.length) (d.record.hostBindings ??= {})[started.name] = reachable;
    // On Fargate (awsvpc) a container is reached on the task's ENI: ECS reports no bindings.
    c.networkBindings = d.spec.networkMode === "awsvpc" ? [] : bindings;
    if (c.lastStatus === "PENDING") c.lastStatus = "RUNNING";
  }

  private containerExited(d: Driver, container: Container, exitCode?: number, reason?: string): void {
    if (d.exited.includes(container.name!)) return;
    d.exited.push(container.name!);
    container.lastStatus = "STOPPED";
    if (exitCode !== undefined) container.exitCode = exitCode;
    if (reason) container.reason = reason.slice(0, 1024);
    this.bump(d);
    const spec = d.spec.containers.find((c) => c.name === container.name);
    if (spec?.essential && d.record.task.desiredStatus !== "STOPPED") {
      this.requestStop(d.record.task.taskArn!, "EssentialContainerExited", Messages.essentialContainerExited);
    }
    if (d.onAllExited && d.started.every((n) => d.exited.includes(n))) d.onAllExited();
  }

  /**
   * The task's network went away under it: before RUNNING the start failed; after it the task
   * stops as AWS stops tasks whose infrastructure fails.
   */
  private networkLost(d: Driver): void {
    const task = d.record.task;
    if (task.desiredStatus === "STOPPED") return;
    const running = task.lastStatus === "RUNNING";
    this.requestStop(
      task.taskArn!,
      running ? "InfrastructureHealth" : "TaskFailedToStart",
      running ? Messages.networkLost : Messages.networkLostBeforeStart,
    );
  }

  private allExited(d: Driver): Promise<void> {
    if (d.started.every((n) => d.exited.includes(n))) return Promise.resolve();
    return new Promise((resolve) => {
      d.onAllExited = resolve;
    });
  }

  private attachEni(d: Driver, ip?: string, mac?: string): void {
    const task = d.record.task;
    const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface");
    if (ip) d.spec.privateIp = ip;
    if (!eni) return;
    const random = this.ctx.random;
    const details = new Map((eni.details ?? []).map((x) => [x.name, x.value]));
    // Kept for the task's life: stored flat, not as trees of concatenated pieces.
    if (!details.has("networkInterfaceId")) details.set("networkInterfaceId", flatString(`eni-${random.hex(17)}`));
    details.set("macAddress", mac ?? details.get("macAddress") ?? flatString(macAddress(random.hex(10))));
    details.set("privateDnsName", flatString(`ip-${d.spec.privateIp.replaceAll(".", "-")}.${d.scope.region}.compute.internal`));
    details.set("privateIPv4Address", d.spec.privateIp);
    eni.details = [...details].map(([name, value]) => ({ name, value }));
    eni.status = "ATTACHED";
    for (const c of task.containers ?? []) {
      c.networkInterfaces = [{ attachmentId: eni.id, privateIpv4Address: d.spec.privateIp }];
    }
  }

  /** A launch goes no further once a stop was asked for or the simulator is shutting down. */
  private halted(d: Driver): boolean {
    return d.record.task.desiredStatus === "STOPPED" || this.closing;
  }

  private transition(d: Driver, status: TaskStatus): void {
    const previous = d.record.task.lastStatus;
    d.record.task.lastStatus = status;
    this.ctx.logger.info(`task ${shortTask(d.record.task.taskArn!)} ${previous} -> ${status}`, {
      cluster: d.record.clusterName,
      ...(status === "STOPPED" ? { stopCode: d.record.task.stopCode, reason: d.record.task.stoppedReason } : {}),
    });
    this.bump(d, previous);
  }

  private bump(d: Driver, previousStatus?: string): void {
    const task = d.record.task;
    task.version = (task.version ?? 0) + 1;
    this.ctx.store.region(d.scope.account, d.scope.region).taskChanged(d.record);
    this.publish(d, previousStatus);
  }

  private publish(d: Driver, previousStatus?: string): void {
    this.ctx.bus.publish("task.changed", {
      account: d.scope.account,
      region: d.scope.region,
      task: cloneData(d.record.task),
      ...(previousStatus ? { previousStatus } : {}),
    });
  }

  private crash(d: Driver, err: unknown): void {
    this.ctx.logger.error(`task ${d.record.task.taskArn} lifecycle failed`, { error: String((err as Error)?.stack ?? err) });
    const task = d.record.task;
    if (task.lastStatus === "STOPPED") return;
    task.desiredStatus = "STOPPED";
    task.stopCode ??= "TaskFailedToStart";
    task.stoppedReason ??= `InternalError: ${String((err as Error)?.message ?? err)}`;
    this.finish(d);
  }

  /**
   * The current time as a Date, one object per millisecond: the stamps a transition writes
   * (connectivityAt and pullStartedAt, tasks launched together) share it, where each Date costs
   * 96 bytes per field per task. Nothing edits a stored Date in place; readers get copies.
   */
  private now(): Date {
    const ms = this.ctx.clock.now();
    if (this.lastNow?.getTime() !== ms) this.lastNow = new Date(ms);
    return this.lastNow;
  }

  private delay(stage: StageTiming): number {
    return this.ctx.random.jitter(stage.baseMs, stage.jitterMs);
  }

  private wait(stage: StageTiming): Promise<void> {
    return this.sleep(this.delay(stage));
  }

  private sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.ctx.clock.setTimeout(() => {
        this.sleeps.delete(handle);
        resolve();
      }, ms);
      this.sleeps.set(handle, resolve);
    });
  }
}

/** HEALTHY only when every essential container with a health check is HEALTHY. */
function aggregateHealth(task: Task, spec: RuntimeTaskSpec): "HEALTHY" | "UNHEALTHY" | "UNKNOWN" {
  const checked = spec.containers.filter((c) => c.essential && c.healthCheck);
  if (checked.length === 0) return "UNKNOWN";
  const states = checked.map((c) => task.containers?.find((x) => x.name === c.name)?.healthStatus ?? "UNKNOWN");
  if (states.some((s) => s === "UNHEALTHY")) return "UNHEALTHY";
  return states.every((s) => s === "HEALTHY") ? "HEALTHY" : "UNKNOWN";
}

function macAddress(hex: string): string {
  return `0a:${hex.slice(0, 10).match(/../g)!.join(":")}`;
}

function shortTask(arn: string): string {
  return arn.slice(arn.indexOf("task/") + 5);
}

function addName(names: string[], name: string): void {
  if (!names.includes(name)) names.push(name);
}
