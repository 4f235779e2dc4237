import type { Failure } from "@aws-sdk/client-ecs";
import type { SimContext } from "../../context.js";
import type { TimerHandle } from "../../core/clock.js";
import type { ContainerInstanceRegistry } from "../../domain/container-instances/registry.js";
import type { InstanceLauncher, SimulatedInstanceSpec, TerminateOptions } from "../../domain/container-instances/types.js";
import { instanceUsage } from "../../domain/container-instances/views.js";
import type { Scope } from "../../domain/scope.js";
import { InvalidParameterException, NoUpdateAvailableException } from "../../errors/aws-errors.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import type { ContainerInstanceRecord, InstanceOrigin } from "../../state/store.js";

/** How long EC2 warns before reclaiming a spot instance. */
export const SPOT_INSTANCE_NOTICE_MS = 120_000;

interface PendingLaunch {
  scope: Scope;
  spec: SimulatedInstanceSpec;
  origin: InstanceOrigin;
  timer: TimerHandle;
}

/**
 * What happens to simulated EC2 instances over time: boot and registration, agent loss,
 * draining, spot notices and termination, deregistration. Tasks on an instance are stopped
 * through the task scheduler, like any other system stop.
 */
export class InstanceLifecycle implements InstanceLauncher {
  private readonly booting = new Map<string, PendingLaunch>();
  private readonly notices = new Map<string, TimerHandle>();

  constructor(
    private readonly ctx: SimContext,
    private readonly registry: ContainerInstanceRegistry,
    /** Stops a task on the simulator's behalf (the task scheduler's system stop). */
    private readonly stopTask: (taskArn: string, reason: string) => void,
  ) {}

  /** Starts an instance; it registers after `bootDelayMs` (at once when 0 or absent). */
  launch(scope: Scope, spec: SimulatedInstanceSpec, origin: InstanceOrigin = "autoscaling"): { ec2InstanceId: string } {
    const ec2InstanceId = this.registry.newEc2InstanceId();
    const delay = spec.bootDelayMs ?? 0;
    if (delay <= 0) {
      this.register(scope, spec, origin, ec2InstanceId);
      return { ec2InstanceId };
    }
    const timer = this.ctx.clock.setTimeout(() => {
      this.booting.delete(ec2InstanceId);
      try {
        this.register(scope, spec, origin, ec2InstanceId);
      } catch (err) {
        // As a real agent whose ECS_CLUSTER does not exist: the instance runs but never joins.
        this.ctx.logger.warn(`instance ${ec2InstanceId} could not register in cluster ${spec.cluster}`, { error: (err as Error).message });
      }
    }, delay);
    this.booting.set(ec2InstanceId, { scope, spec, origin, timer });
    return { ec2InstanceId };
  }

  /** Registers at once and returns the record (the admin API and config files). */
  register(scope: Scope, spec: SimulatedInstanceSpec, origin: InstanceOrigin, ec2InstanceId?: string): ContainerInstanceRecord {
    const record = this.registry.registerSimulated(scope, spec, origin, ec2InstanceId);
    if (spec.spotInstanceDraining) record.spotInstanceDraining = true;
    return record;
  }

  /** Instances launched but not registered yet. */
  bootingCount(): number {
    return this.booting.size;
  }

  terminate(scope: Scope, ec2InstanceId: string, opts: TerminateOptions = {}): void {
    const pending = this.booting.get(ec2InstanceId);
    if (pending) {
      this.ctx.clock.clearTimeout(pending.timer);
      this.booting.delete(ec2InstanceId);
      return;
    }
    const record = this.registry.findByEc2InstanceId(scope, ec2InstanceId);
    if (!record || record.terminatedAt !== undefined) return;
    if (opts.spotNotice) {
      if (this.notices.has(ec2InstanceId)) return;
      if (record.spotInstanceDraining) this.setDraining(scope, record);
      this.notices.set(
        ec2InstanceId,
        this.ctx.clock.setTimeout(() => {
          this.notices.delete(ec2InstanceId);
          this.terminateNow(scope, record, opts.reason);
        }, SPOT_INSTANCE_NOTICE_MS),
      );
      return;
    }
    this.terminateNow(scope, record, opts.reason);
  }

  /**
   * The EC2 instance is gone: its tasks stop, its agent is gone, and ECS deregisters it (an
   * instance terminated while running leaves the cluster on its own).
   */
  private terminateNow(scope: Scope, record: ContainerInstanceRecord, reason?: string): void {
    const notice = this.notices.get(record.instance.ec2InstanceId!);
    if (notice) this.ctx.clock.clearTimeout(notice);
    this.notices.delete(record.instance.ec2InstanceId!);
    record.terminatedAt = this.ctx.clock.now();
    const stopped = Ec2Messages.hostTerminated(record.instance.ec2InstanceId!);
    for (const t of instanceUsage(this.registry.state(scope), record).active) {
      this.stopTask(t.task.taskArn!, stopped);
    }
    this.registry.setAgentConnected(scope, record, false);
    this.registry.setStatus(scope, record, "INACTIVE", reason ?? stopped);
    this.registry.emit(scope, record, "terminated");
  }

  drain(scope: Scope, ec2InstanceId: string): void {
    const record = this.registry.findByEc2InstanceId(scope, ec2InstanceId);
    if (record) this.setDraining(scope, record);
  }

  private setDraining(scope: Scope, record: ContainerInstanceRecord): void {
    if (record.instance.status === "ACTIVE") this.registry.setStatus(scope, record, "DRAINING");
  }

  activeTaskCount(scope: Scope, ec2InstanceId: string): number {
    const record = this.registry.findByEc2InstanceId(scope, ec2InstanceId);
    return record ? instanceUsage(this.registry.state(scope), record).active.length : 0;
  }

  /** The agent loses (or regains) its connection: no task is placed on it meanwhile; running tasks go on. */
  setAgentConnected(scope: Scope, record: ContainerInstanceRecord, connected: boolean): void {
    this.registry.setAgentConnected(scope, record, connected);
  }

  /** UpdateContainerInstancesState: only ACTIVE <-> DRAINING, as the API allows. */
  updateState(scope: Scope, clusterName: string, refs: string[], status: string) {
    if (status !== "ACTIVE" && status !== "DRAINING") throw new InvalidParameterException(Ec2Messages.invalidInstanceStatus(status));
    const containerInstances: ContainerInstanceRecord[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const record = this.registry.find(scope, clusterName, ref);
      if (!record || record.instance.status === "INACTIVE") {
        failures.push({ arn: record?.instance.containerInstanceArn ?? ref, reason: record ? "INACTIVE" : "MISSING" });
        continue;
      }
      this.registry.setStatus(scope, record, status);
      containerInstances.push(record);
    }
    return { containerInstances, failures };
  }

  /**
   * DeregisterContainerInstance: refused while tasks run unless forced; forced tasks keep running
   * but ECS stops accounting for them, so services start replacements elsewhere.
   */
  deregister(scope: Scope, clusterName: string, ref: string, force: boolean): ContainerInstanceRecord {
    const record = this.registry.find(scope, clusterName, ref);
    if (!record) throw new InvalidParameterException(Ec2Messages.containerInstanceNotFound(ref));
    const state = this.registry.state(scope);
    const active = instanceUsage(state, record).active;
    if (active.length > 0 && !force) throw new InvalidParameterException(Ec2Messages.deregisterRunningTasks);
    for (const t of active) {
      t.orphaned = true;
      state.taskChanged(t);
    }
    this.registry.setAgentConnected(scope, record, false);
    this.registry.setStatus(scope, record, "INACTIVE");
    return record;
  }

  /** A simulated agent is always the newest one, so there is never an update to apply. */
  updateAgent(scope: Scope, clusterName: string, ref: string): never {
    const record = this.registry.find(scope, clusterName, ref);
    if (!record) throw new InvalidParameterException(Ec2Messages.containerInstanceNotFound(ref));
    throw new NoUpdateAvailableException(Ec2Messages.noAgentUpdate);
  }

  /** Cancels boots and spot notices still waiting (reset, shutdown). */
  dispose(): void {
    for (const p of this.booting.values()) this.ctx.clock.clearTimeout(p.timer);
    for (const t of this.notices.values()) this.ctx.clock.clearTimeout(t);
    this.booting.clear();
    this.notices.clear();
  }
}
