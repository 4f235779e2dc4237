import type { CapacityProvider, Cluster, ContainerInstance, NetworkBinding, Service, Setting, Tag, Task, TaskDefinition, TaskSet } from "@aws-sdk/client-ecs";
import { AutoScalingState } from "../autoscaling/state.js";
import type { AutoScalingGroupRecord } from "../autoscaling-groups/types.js";
import type { MetricAlarm } from "../metrics/alarms.js";
import { MetricsState } from "../metrics/store.js";
import { IndexedTable } from "./indexed-table.js";

/**
 * The one state store. Everything the simulator knows lives here, partitioned by account and
 * region so that state (and ARNs) never leak between them. Records hold the SDK's own shapes
 * plus whatever private bookkeeping the owning layer needs beside them.
 */
export interface ClusterRecord {
  cluster: Cluster;
}

/** A capacity provider backed by an Auto Scaling group (FARGATE and FARGATE_SPOT are not stored). */
export interface CapacityProviderRecord {
  provider: CapacityProvider;
  /** When an UPDATE_IN_PROGRESS or DELETE_IN_PROGRESS settles. */
  settlesAt?: number;
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
  /** Private: resources held on the container instance (EC2 launch type only). */
  placement?: TaskPlacementRecord;
  /**
   * Private: the instance was deregistered with force while the task ran. ECS no longer accounts
   * for it (its instance shows nothing, its service starts a replacement); its containers run on.
   */
  orphaned?: boolean;
}

/** Where a container instance came from. */
export type InstanceOrigin = "agent" | "admin" | "config" | "autoscaling";

/**
 * A container instance: the SDK's shape (status, registeredResources, attributes, versionInfo;
 * remainingResources and task counts are derived on describe) plus the simulator's bookkeeping.
 */
export interface ContainerInstanceRecord {
  instance: ContainerInstance;
  clusterName: string;
  origin: InstanceOrigin;
  instanceType?: string;
  availabilityZone: string;
  /** The simulated Auto Scaling group that launched it, if any. */
  autoScalingGroupName?: string;
  /** Dynamic host port range of its agent. */
  dynamicPortRange: { first: number; last: number };
  /** Network interfaces awsvpc tasks may use (trunking included). */
  maxTaskEnis: number;
  /** Set when the EC2 instance was terminated. */
  terminatedAt?: number;
  /** ECS_ENABLE_SPOT_INSTANCE_DRAINING: a spot interruption notice puts the instance in DRAINING. */
  spotInstanceDraining?: boolean;
}

/**
 * What a task placed on a container instance holds there. Kept on the task, so an instance's
 * remaining resources are derived from the tasks on it and can never drift from them.
 */
export interface TaskPlacementRecord {
  cpu: number;
  memory: number;
  /** Host ports taken, fixed and dynamic. */
  ports: number[];
  portsUdp: number[];
  /** Which of them came from the dynamic range. */
  dynamicPorts: number[];
  dynamicPortsUdp: number[];
  /** awsvpc tasks take one network interface. */
  eni: boolean;
  gpuIds: string[];
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

/**
 * Names of the index buckets of the task and service tables. Every lookup by cluster, service,
 * family, status, starter, container instance or capacity provider goes through one of these, so
 * its cost follows the size of its answer, not of the region.
 */
export const TaskIndex = {
  cluster: (cluster: string) => `c\0${cluster}`,
  desired: (cluster: string, desired: string) => `d\0${cluster}\0${desired}`,
  last: (cluster: string, last: string) => `l\0${cluster}\0${last}`,
  service: (cluster: string, service: string) => `s\0${cluster}\0${service}`,
  serviceDesired: (cluster: string, desired: string, service: string) => `sd\0${cluster}\0${desired}\0${service}`,
  familyDesired: (cluster: string, desired: string, family: string) => `fd\0${cluster}\0${desired}\0${family}`,
  startedByDesired: (cluster: string, desired: string, startedBy: string) => `bd\0${cluster}\0${desired}\0${startedBy}`,
  capacityProvider: (cluster: string, provider: string) => `p\0${cluster}\0${provider}`,
  containerInstance: (arn: string) => `i\0${arn}`,
} as const;

export const InstanceIndex = {
  cluster: (cluster: string) => `c\0${cluster}`,
  status: (cluster: string, status: string) => `s\0${cluster}\0${status}`,
  capacityProvider: (cluster: string, provider: string) => `p\0${cluster}\0${provider}`,
  autoScalingGroup: (group: string) => `g\0${group}`,
} as const;

function instanceIndexKeys(r: ContainerInstanceRecord): string[] {
  const c = r.clusterName;
  const keys = [InstanceIndex.cluster(c), InstanceIndex.status(c, r.instance.status ?? "")];
  if (r.instance.capacityProviderName) keys.push(InstanceIndex.capacityProvider(c, r.instance.capacityProviderName));
  if (r.autoScalingGroupName) keys.push(InstanceIndex.autoScalingGroup(r.autoScalingGroupName));
  return keys;
}

export const ServiceIndex = {
  cluster: (cluster: string) => `c\0${cluster}`,
} as const;

/** The family part of a task definition ARN (`.../task-definition/<family>:<revision>`). */
export function familyOfDefinitionArn(arn: string | undefined): string {
  if (!arn) return "";
  const name = arn.slice(arn.lastIndexOf("/") + 1);
  const colon = name.lastIndexOf(":");
  return colon < 0 ? name : name.slice(0, colon);
}

function taskIndexKeys(r: TaskRecord): string[] {
  const t = r.task;
  const c = r.clusterName;
  const desired = t.desiredStatus ?? "";
  const keys = [
    TaskIndex.cluster(c),
    TaskIndex.desired(c, desired),
    TaskIndex.last(c, t.lastStatus ?? ""),
    TaskIndex.familyDesired(c, desired, familyOfDefinitionArn(t.taskDefinitionArn)),
  ];
  if (r.serviceName) keys.push(TaskIndex.service(c, r.serviceName), TaskIndex.serviceDesired(c, desired, r.serviceName));
  if (t.startedBy) keys.push(TaskIndex.startedByDesired(c, desired, t.startedBy));
  if (t.capacityProviderName) keys.push(TaskIndex.capacityProvider(c, t.capacityProviderName));
  if (t.containerInstanceArn) keys.push(TaskIndex.containerInstance(t.containerInstanceArn));
  return keys;
}

function serviceIndexKeys(r: ServiceRecord): string[] {
  return [ServiceIndex.cluster(r.clusterName)];
}

export class RegionState {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly families = new Map<string, FamilyRecord>();
  /**
   * Tasks by ARN, indexed by TaskIndex. Whoever changes a task's status (or anything else an
   * index key derives from) calls `taskChanged` afterwards.
   */
  readonly tasks = new IndexedTable<TaskRecord>(taskIndexKeys);
  /** Services by ARN, indexed by ServiceIndex. */
  readonly services = new IndexedTable<ServiceRecord>(serviceIndexKeys);
  /** Container instances by ARN, indexed by InstanceIndex; call `instanceChanged` after a status change. */
  readonly containerInstances = new IndexedTable<ContainerInstanceRecord>(instanceIndexKeys);
  readonly tags = new Map<string, Tag[]>();
  /** Account settings by `${principalArn}|${name}`; defaults by name. */
  readonly settings = new Map<string, Setting>();
  readonly defaultSettings = new Map<string, Setting>();
  readonly runTaskTokens = new Map<string, RunTaskTokenRecord>();
  /** CloudWatch datapoints and alarms, and Application Auto Scaling's targets and policies. */
  readonly metrics = new MetricsState();
  readonly alarms = new Map<string, MetricAlarm>();
  readonly autoscaling = new AutoScalingState();
  /** Auto Scaling group capacity providers by name. */
  readonly capacityProviders = new Map<string, CapacityProviderRecord>();
  /** Simulated EC2 Auto Scaling groups by name. */
  readonly autoScalingGroups = new Map<string, AutoScalingGroupRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** Re-files a task under its current status after the lifecycle changed it. */
  taskChanged(record: TaskRecord): void {
    this.tasks.reindex(record.task.taskArn!);
  }

  instanceChanged(record: ContainerInstanceRecord): void {
    this.containerInstances.reindex(record.instance.containerInstanceArn!);
  }

  /** Tasks on a container instance, whatever their status. */
  instanceTasks(instanceArn: string): IterableIterator<TaskRecord> {
    return this.tasks.members(TaskIndex.containerInstance(instanceArn));
  }

  /** Every task of the service in its cluster, whatever its status, in creation order. */
  serviceTasks(clusterName: string, serviceName: string): IterableIterator<TaskRecord> {
    return this.tasks.members(TaskIndex.service(clusterName, serviceName));
  }

  tasksInCluster(clusterName: string): IterableIterator<TaskRecord> {
    return this.tasks.members(TaskIndex.cluster(clusterName));
  }

  servicesInCluster(clusterName: string): IterableIterator<ServiceRecord> {
    return this.services.members(ServiceIndex.cluster(clusterName));
  }
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
