import type { SimulatedRule } from "../../config.js";
import type { Clock, TimerHandle } from "../../core/clock.js";
import type { SeededRandom } from "../../core/random.js";
import {
  TaskStartError,
  type RuntimeContainerSpec,
  type RuntimeListener,
  type RuntimeTaskSpec,
  type StartResult,
  type StopRequest,
  type TaskRuntime,
} from "../types.js";
import { resolveBehavior, type BehaviorDefaults, type ContainerBehavior } from "./behavior.js";

interface SimContainer {
  name: string;
  behavior: ContainerBehavior;
  running: boolean;
  timers: TimerHandle[];
}

export interface SimulatedRuntimeOptions {
  clock: Clock;
  random: SeededRandom;
  listener: RuntimeListener;
  rules: SimulatedRule[];
  defaults: BehaviorDefaults;
}

/**
 * Runs nothing: each container is a set of timers on the simulator's clock. Behaviour (run time,
 * exit code, reaction to SIGTERM, health) comes from resolveBehavior, so a test can script a task
 * without Docker and replay it exactly under the virtual clock.
 */
export class SimulatedRuntime implements TaskRuntime {
  readonly kind = "simulated" as const;
  private readonly tasks = new Map<string, SimContainer[]>();

  constructor(private readonly opts: SimulatedRuntimeOptions) {}

  async prepare(spec: RuntimeTaskSpec): Promise<void> {
    const containers = spec.containers.map((c) => ({
      name: c.name,
      behavior: resolveBehavior(spec, c, this.opts.rules, this.opts.defaults, this.opts.random),
      running: false,
      timers: [],
    }));
    this.tasks.set(spec.taskArn, containers);
    const failing = spec.containers.find((c, i) => containers[i]!.behavior.pullError);
    if (failing) {
      throw new TaskStartError(
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${qualified(failing.image)}: not found`,
        Object.fromEntries(spec.containers.map((c) => [c.name, "CannotPullContainerError: image could not be pulled"])),
      );
    }
  }

  async start(spec: RuntimeTaskSpec): Promise<StartResult> {
    const containers = this.tasks.get(spec.taskArn) ?? [];
    const result: StartResult = { containers: [] };
    for (const [index, c] of containers.entries()) {
      const containerSpec = spec.containers[index]!;
      this.run(spec, c, containerSpec);
      const started = {
        name: c.name,
        runtimeId: `${spec.taskId}-${this.opts.random.hex(10)}`,
        networkBindings: containerSpec.portMappings.map((p) => ({
          bindIP: "0.0.0.0",
          containerPort: p.containerPort ?? 0,
          hostPort: p.hostPort ?? p.containerPort ?? 0,
          protocol: p.protocol ?? "tcp",
        })),
      };
      result.containers.push(started);
    }
    return result;
  }

  /**
   * A restart with persisted state: the containers that were running run again with their whole
   * run time (simulated containers have no process that could have outlived the simulator).
   */
  async adopt(spec: RuntimeTaskSpec, running: string[]): Promise<string[]> {
    await this.prepare(spec).catch(() => undefined);
    const containers = this.tasks.get(spec.taskArn) ?? [];
    for (const [index, c] of containers.entries()) if (running.includes(c.name)) this.run(spec, c, spec.containers[index]!);
    return containers.filter((c) => c.running).map((c) => c.name);
  }

  /** Nothing of an earlier process survives in memory. */
  async releaseUnadopted(): Promise<void> {}

  async stop(taskArn: string, request: StopRequest): Promise<void> {
    for (const c of this.tasks.get(taskArn) ?? []) {
      if (!c.running) continue;
      const killAfter = request.timeoutMs(c.name);
      if (c.behavior.onSigterm === "exit" && c.behavior.sigtermDelayMs < killAfter) {
        c.timers.push(this.opts.clock.setTimeout(() => this.exit(taskArn, c, 143), c.behavior.sigtermDelayMs));
      } else {
        c.timers.push(this.opts.clock.setTimeout(() => this.exit(taskArn, c, 137), killAfter));
      }
    }
  }

  async remove(taskArn: string): Promise<void> {
    for (const c of this.tasks.get(taskArn) ?? []) this.clearTimers(c);
    this.tasks.delete(taskArn);
  }

  async close(): Promise<void> {
    for (const arn of [...this.tasks.keys()]) await this.remove(arn);
  }

  private run(spec: RuntimeTaskSpec, c: SimContainer, containerSpec: RuntimeContainerSpec): void {
    c.running = true;
    if (containerSpec.healthCheck) {
      const startPeriod = (containerSpec.healthCheck.startPeriod ?? 0) * 1000;
      c.timers.push(
        this.opts.clock.setTimeout(() => {
          if (c.running) this.opts.listener({ type: "container-health", taskArn: spec.taskArn, name: c.name, status: c.behavior.health });
        }, Math.min(startPeriod, c.behavior.runMs ?? startPeriod)),
      );
    }
    if (c.behavior.runMs !== undefined) {
      c.timers.push(
        this.opts.clock.setTimeout(() => this.exit(spec.taskArn, c, c.behavior.exitCode, c.behavior.reason), c.behavior.runMs),
      );
    }
  }

  private exit(taskArn: string, c: SimContainer, exitCode: number, reason?: string): void {
    if (!c.running) return;
    c.running = false;
    this.clearTimers(c);
    this.opts.listener({ type: "container-exited", taskArn, name: c.name, exitCode, ...(reason ? { reason } : {}) });
  }

  private clearTimers(c: SimContainer): void {
    for (const t of c.timers) this.opts.clock.clearTimeout(t);
    c.timers = [];
  }
}

/** Docker's fully qualified reference, as the Fargate agent prints it. */
function qualified(image: string): string {
  const hasRegistry = image.includes("/") && /[.:]/.test(image.split("/")[0]!) ;
  const withRegistry = hasRegistry ? image : `docker.io/${image.includes("/") ? image : `library/${image}`}`;
  return /:[^/]+$/.test(withRegistry) || withRegistry.includes("@") ? withRegistry : `${withRegistry}:latest`;
}
