import type { Clock } from "../../src/core/clock.js";
import type { InstanceLauncher, SimulatedInstanceSpec, TerminateOptions } from "../../src/domain/container-instances/types.js";
import type { Scope } from "../../src/domain/scope.js";
import type { ManagedScalingInputs } from "../../src/autoscaling-groups/managed-scaling.js";
import type { TaskNeed } from "../../src/autoscaling-groups/managed-scaling-math.js";

export interface FakeInstance {
  id: string;
  spec: SimulatedInstanceSpec;
  status: "PENDING" | "ACTIVE" | "DRAINING" | "TERMINATED";
  registeredAt?: number;
  /** Non-daemon tasks running on it. */
  tasks: number;
  daemonTasks: number;
  terminateOptions?: TerminateOptions;
}

/**
 * An in-memory InstanceLauncher for tests: instances register after their boot delay on the
 * given clock, draining stops nothing by itself (the test stops tasks), and it doubles as the
 * managed scaling inputs (provisioning tasks set by the test).
 */
export class FakeLauncher implements InstanceLauncher, ManagedScalingInputs {
  readonly instances = new Map<string, FakeInstance>();
  readonly calls: string[] = [];
  provisioning: TaskNeed[] = [];
  private next = 1;

  constructor(private readonly clock: Clock) {}

  launch(_scope: Scope, spec: SimulatedInstanceSpec): { ec2InstanceId: string } {
    const id = `i-${String(this.next++).padStart(17, "0")}`;
    const instance: FakeInstance = { id, spec, status: "PENDING", tasks: 0, daemonTasks: 0 };
    this.instances.set(id, instance);
    this.calls.push(`launch ${id} ${spec.availabilityZone} ${spec.bootDelayMs}`);
    const register = () => {
      if (instance.status !== "PENDING") return;
      instance.status = "ACTIVE";
      instance.registeredAt = this.clock.now();
    };
    if (!spec.bootDelayMs) register();
    else this.clock.setTimeout(register, spec.bootDelayMs);
    return { ec2InstanceId: id };
  }

  terminate(_scope: Scope, id: string, opts?: TerminateOptions): void {
    const instance = this.instances.get(id)!;
    instance.status = "TERMINATED";
    instance.tasks = 0;
    instance.daemonTasks = 0;
    if (opts) instance.terminateOptions = opts;
    this.calls.push(`terminate ${id}`);
  }

  drain(_scope: Scope, id: string): void {
    this.instances.get(id)!.status = "DRAINING";
    this.calls.push(`drain ${id}`);
  }

  activeTaskCount(_scope: Scope, id: string): number {
    const i = this.instances.get(id)!;
    return i.tasks + i.daemonTasks;
  }

  provisioningTasks(): TaskNeed[] {
    return this.provisioning;
  }

  instanceLoad(_scope: Scope, id: string): { registered: boolean; nonDaemonTasks: number } {
    const i = this.instances.get(id);
    return { registered: i?.status === "ACTIVE" || i?.status === "DRAINING", nonDaemonTasks: i?.tasks ?? 0 };
  }

  live(): FakeInstance[] {
    return [...this.instances.values()].filter((i) => i.status !== "TERMINATED");
  }
}
