import type { SimContext } from "../context.js";
import type { TimerHandle } from "../core/clock.js";
import type { Scope } from "../domain/scope.js";
import type { RuntimeTaskSpec } from "../runtime/types.js";
import type { TaskRecord } from "../state/store.js";
import type { Ec2Slot } from "./ec2-launch.js";

/** A task that found no room on its capacity provider's instances and waits for them to grow. */
export interface WaitingTask {
  scope: Scope;
  clusterName: string;
  provider: string;
  record: TaskRecord;
  /** Tries to place the task on the provider's instances as they are now. */
  tryPlace: () => Ec2Slot | undefined;
  /** Applies a placement to the task and returns the runtime spec to start it with. */
  apply: (slot: Ec2Slot) => RuntimeTaskSpec;
}

interface Entry extends WaitingTask {
  resolve: (spec: RuntimeTaskSpec | undefined) => void;
  timer: TimerHandle;
}

export interface ProvisioningOptions {
  /** How long a task waits in PROVISIONING for capacity before it stops. */
  timeoutMs: number;
  /** At most this many tasks wait per cluster; beyond it a task that does not fit fails at once. */
  maxPerCluster: number;
  /** Stops a task whose wait ended without capacity. */
  onTimeout: (record: TaskRecord, provider: string) => void;
}

/**
 * Tasks in PROVISIONING on an Auto Scaling capacity provider with managed scaling: ECS keeps them
 * waiting for the group to scale out instead of failing them (at most 100 per cluster, for a
 * limited time). They are placed first come, first served whenever instances register or free
 * resources, and the managed scaling loop counts them to size the group.
 */
export class ProvisioningQueue {
  private readonly waiting = new Map<string, Entry>();
  private readonly unsubscribe: () => void;
  private retrying = false;

  constructor(
    private readonly ctx: SimContext,
    private readonly opts: ProvisioningOptions,
  ) {
    // A task stopped while it waits gives up its place (its launch then ends in STOPPED).
    this.unsubscribe = ctx.bus.subscribe("task.changed", (p) => {
      const arn = p.task.taskArn!;
      const entry = this.waiting.get(arn);
      if (entry && p.task.desiredStatus === "STOPPED") this.release(arn, entry, undefined);
      // A task leaving an instance frees room for the ones waiting in its cluster.
      else if (p.task.lastStatus === "STOPPED" && p.task.containerInstanceArn && this.waiting.size > 0) {
        this.retry();
      }
    });
  }

  /** Whether another task may wait in the cluster. */
  hasRoom(clusterName: string): boolean {
    let n = 0;
    for (const e of this.waiting.values()) if (e.clusterName === clusterName) n++;
    return n < this.opts.maxPerCluster;
  }

  /** Queues the task; the returned function is the lifecycle's wait for capacity. */
  wait(task: WaitingTask): () => Promise<RuntimeTaskSpec | undefined> {
    let resolve!: (spec: RuntimeTaskSpec | undefined) => void;
    const placed = new Promise<RuntimeTaskSpec | undefined>((r) => (resolve = r));
    const arn = task.record.task.taskArn!;
    const timer = this.ctx.clock.setTimeout(() => {
      const entry = this.waiting.get(arn);
      if (!entry) return;
      this.release(arn, entry, undefined);
      this.opts.onTimeout(entry.record, entry.provider);
    }, this.opts.timeoutMs);
    this.waiting.set(arn, { ...task, resolve, timer });
    return () => placed;
  }

  /** Tasks waiting, oldest first, optionally for one provider of one cluster. */
  pending(scope: Scope, clusterName?: string, provider?: string): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const e of this.waiting.values()) {
      if (e.scope.account !== scope.account || e.scope.region !== scope.region) continue;
      if (clusterName !== undefined && e.clusterName !== clusterName) continue;
      if (provider !== undefined && e.provider !== provider) continue;
      out.push(e.record);
    }
    return out;
  }

  /** Places what now fits, oldest first. Called when instances register, activate or free room. */
  retry(): void {
    if (this.retrying || this.waiting.size === 0) return;
    this.retrying = true;
    try {
      for (const [arn, entry] of [...this.waiting]) {
        const slot = entry.tryPlace();
        if (slot) this.release(arn, entry, entry.apply(slot));
      }
    } finally {
      this.retrying = false;
    }
  }

  private release(arn: string, entry: Entry, spec: RuntimeTaskSpec | undefined): void {
    this.ctx.clock.clearTimeout(entry.timer);
    this.waiting.delete(arn);
    entry.resolve(spec);
  }

  /** Ends every wait (reset, shutdown): the tasks' launches end without starting. */
  dispose(): void {
    for (const [arn, entry] of [...this.waiting]) this.release(arn, entry, undefined);
  }

  close(): void {
    this.dispose();
    this.unsubscribe();
  }
}
