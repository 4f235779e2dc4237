import type { Cluster, NetworkBinding, Service, Setting, Tag, Task, TaskDefinition, TaskSet } from "@aws-sdk/client-ecs";
import { AutoScalingState } from "../autoscaling/state.js";
import type { MetricAlarm } from "../metrics/alarms.js";
import { MetricsState } from "../metrics/store.js";

/**
 * The one state store. Everything the simulator knows lives here, partitioned by account and
 * region so that state (and ARNs) never leak between them. Records hold the SDK's own shapes
 * plus whatever private bookkeeping the owning layer needs beside them.
 */
export interface ClusterRecord {
  cluster: Cluster;
}

export interface TaskDefinitionRecord {
  definition: TaskDefinition;
  /** Byte size of the registered request, for the size quota and the state dump. */
  size: number;
}

export interface FamilyRecord {
  name: string;
  /** Last revision handed out; revisions are never reused, even after deletion. */
  lastRevision: number;
  revisions: Map<number, TaskDefinitionRecord>;
}

export interface TaskRecord {
  task: Task;
  clusterName: string;
  /** Whether any container was started (decides whether stopping needs the runtime). */
  containersStarted: boolean;
  /** When a STOPPED task is forgotten. */
  expiresAt?: number;
  /** Private: the service that owns the task, if any. */
  serviceName?: string;
  /** Scale-in protection (UpdateTaskProtection): services neither scale in nor replace it until it expires. */
  protection?: { enabled: boolean; expiresAt?: number };
  /** Private: the host ports the local runtime published, per container, even where ECS reports none. */
  hostBindings?: Record<string, NetworkBinding[]>;
}

export interface ServiceRecord {
  service: Service;
  clusterName: string;
  taskSets: TaskSet[];
  /** Private scheduler bookkeeping, owned by src/scheduler/services. */
  internal: Record<string, unknown>;
}

export interface RunTaskTokenRecord {
  fingerprint: string;
  taskArns: string[];
  failures: { arn?: string; reason?: string; detail?: string }[];
  at: number;
}

export class RegionState {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly families = new Map<string, FamilyRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly services = new Map<string, ServiceRecord>();
  readonly tags = new Map<string, Tag[]>();
  /** Account settings by `${principalArn}|${name}`; defaults by name. */
  readonly settings = new Map<string, Setting>();
  readonly defaultSettings = new Map<string, Setting>();
  readonly runTaskTokens = new Map<string, RunTaskTokenRecord>();
  /** CloudWatch datapoints and alarms, and Application Auto Scaling's targets and policies. */
  readonly metrics = new MetricsState();
  readonly alarms = new Map<string, MetricAlarm>();
  readonly autoscaling = new AutoScalingState();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}
}

export class Store {
  private readonly regions = new Map<string, RegionState>();

  region(account: string, region: string): RegionState {
    const key = `${account}/${region}`;
    let state = this.regions.get(key);
    if (!state) {
      state = new RegionState(account, region);
      this.regions.set(key, state);
    }
    return state;
  }

  allRegions(): RegionState[] {
    return [...this.regions.values()];
  }

  reset(): void {
    this.regions.clear();
  }
}
