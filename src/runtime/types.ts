/**
 * The seam between the scheduler and whatever runs containers. The scheduler owns the task
 * lifecycle and drives a runtime through these few calls; the runtime reports what happened to
 * containers through the listener it was given. It never changes task state itself.
 */
import type {
  ContainerDependency,
  EnvironmentFile,
  HealthCheck,
  KeyValuePair,
  LinuxParameters,
  LogConfiguration,
  PortMapping,
  Secret,
  Tag,
  Ulimit,
  Volume,
  MountPoint,
} from "@aws-sdk/client-ecs";

export interface RuntimeContainerSpec {
  name: string;
  image: string;
  essential: boolean;
  command?: string[];
  entryPoint?: string[];
  /** Definition environment with container overrides already applied. */
  environment: KeyValuePair[];
  environmentFiles?: EnvironmentFile[];
  secrets?: Secret[];
  workingDirectory?: string;
  user?: string;
  /** CPU units (1024 = 1 vCPU); 0 when unset. */
  cpu: number;
  /** Hard limit in MiB. */
  memory?: number;
  memoryReservation?: number;
  portMappings: PortMapping[];
  dependsOn: ContainerDependency[];
  healthCheck?: HealthCheck;
  /** Seconds between SIGTERM and SIGKILL (already capped at 120 for Fargate). */
  stopTimeout: number;
  /** Seconds to wait for dependsOn conditions before giving up; unset: the runtime's default. */
  startTimeout?: number;
  ulimits?: Ulimit[];
  readonlyRootFilesystem?: boolean;
  linuxParameters?: LinuxParameters;
  logConfiguration?: LogConfiguration;
  mountPoints?: MountPoint[];
  privileged?: boolean;
  dockerLabels?: Record<string, string>;
}

export interface RuntimeTaskSpec {
  account: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  taskArn: string;
  taskId: string;
  family: string;
  revision: number;
  taskDefinitionArn: string;
  launchType: string;
  capacityProviderName?: string;
  networkMode: string;
  /** Only `host` matters: the Docker runtime refuses it unless allowed. */
  pidMode?: string;
  ipcMode?: string;
  /** Task-level CPU units and memory MiB (Fargate always has both). */
  cpu?: number;
  memory?: number;
  taskRoleArn?: string;
  executionRoleArn?: string;
  availabilityZone: string;
  /** The private IP the scheduler assigned; a runtime may report the real one from start(). */
  privateIp: string;
  volumes: Volume[];
  tags: Tag[];
  serviceName?: string;
  /**
   * EC2 launch type: the container instance the task was placed on, and the host port placement
   * gave each port mapping (by container name, in portMappings order; 0 where none).
   */
  containerInstance?: { arn: string; hostPorts: Record<string, number[]>; ec2InstanceId?: string };
  containers: RuntimeContainerSpec[];
}

export interface StartedContainer {
  name: string;
  runtimeId: string;
  imageDigest?: string;
  networkBindings?: NetworkBindingInfo[];
  /**
   * Where this machine really serves each mapping, when that differs from networkBindings (what
   * ECS reports). EC2 tasks under Docker: every simulated instance shares one real host, so a
   * mapping is published on a free real port while ECS reports the instance's host port.
   */
  publishedBindings?: NetworkBindingInfo[];
}

export interface NetworkBindingInfo {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: string;
}

export interface StartResult {
  /** The task's real address, when the runtime has one (Docker); otherwise the scheduler's. */
  privateIp?: string;
  macAddress?: string;
  containers: StartedContainer[];
}

export type ContainerHealth = "HEALTHY" | "UNHEALTHY" | "UNKNOWN";

export type RuntimeEvent =
  | { type: "container-started"; taskArn: string; container: StartedContainer }
  | { type: "container-exited"; taskArn: string; name: string; exitCode?: number; reason?: string }
  | { type: "container-health"; taskArn: string; name: string; status: ContainerHealth }
  /** Whatever holds the task's network (the awsvpc pause container) is gone. */
  | { type: "network-lost"; taskArn: string };

export type RuntimeListener = (event: RuntimeEvent) => void;

/** Thrown by prepare() or start(): the task ends STOPPED with stopCode TaskFailedToStart. */
export class TaskStartError extends Error {
  constructor(readonly stoppedReason: string, readonly containerReasons: Record<string, string> = {}) {
    super(stoppedReason);
  }
}

export interface StopRequest {
  /** The signal sent first (always SIGTERM, as the ECS agent does). */
  signal: "SIGTERM";
  /** Per container: ms after the signal before SIGKILL. */
  timeoutMs: (containerName: string) => number;
}

/** A running task's resource use, in percent of its task-level CPU and memory reservation. */
export interface TaskUsage {
  cpuPercent: number;
  memoryPercent: number;
}

export interface TaskRuntime {
  readonly kind: "docker" | "simulated";
  /** Pulls or resolves images. Rejects with TaskStartError when an image cannot be had. */
  prepare(spec: RuntimeTaskSpec): Promise<void>;
  /**
   * Starts the containers honouring dependsOn order. Containers that exit later are reported
   * through the listener; containers that already ran to completion during start are too.
   */
  start(spec: RuntimeTaskSpec): Promise<StartResult>;
  /** Sends SIGTERM to every running container, SIGKILL after its timeout. Exits arrive as events. */
  stop(taskArn: string, request: StopRequest): Promise<void>;
  /** Releases everything held for the task (containers, networks). Idempotent. */
  remove(taskArn: string): Promise<void>;
  /** Stops and removes everything this runtime started. */
  close(): Promise<void>;
  /**
   * After a restart with persisted state: takes over the task's containers that `running` names and
   * that still run, and answers their names (the others are gone).
   */
  adopt(spec: RuntimeTaskSpec, running: string[]): Promise<string[]>;
  /** After adoption: removes whatever is left of persisted tasks other than `adopted`. */
  releaseUnadopted(adopted: string[]): Promise<void>;
  /** What the task's running containers use now; undefined when it has none running. */
  usage(taskArn: string): Promise<TaskUsage | undefined>;
}

export interface RuntimeFactoryContext {
  listener: RuntimeListener;
}
