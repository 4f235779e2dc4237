import type { PlacementConstraint, PlacementStrategy } from "@aws-sdk/client-ecs";

/**
 * The inputs and outputs of EC2 placement: a snapshot of candidate instances as the store sees
 * them, and what one task needs. Placement functions never change a snapshot they are given.
 */
export interface CandidateTask {
  /** Task group ("service:web", "family:batch", or a RunTask `group`). */
  group?: string;
}

export interface CandidateInstance {
  /** Container instance ARN; its last part is the id AWS's messages name. */
  arn: string;
  ec2InstanceId: string;
  status: "ACTIVE" | "DRAINING" | "REGISTERING" | "DEREGISTERING" | "REGISTRATION_FAILED" | "INACTIVE";
  agentConnected: boolean;
  agentVersion?: string;
  /** Epoch milliseconds. */
  registeredAt?: number;
  /** Attribute name -> value; null for a name-only attribute. */
  attributes: Readonly<Record<string, string | null>>;
  remaining: {
    cpu: number;
    memory: number;
    /** TCP host ports in use (the agent's reserved ports included). */
    ports: readonly number[];
    portsUdp: readonly number[];
    /** Which of the ports in use were taken from the dynamic range for bridge tasks. */
    dynamicPorts?: readonly number[];
    dynamicPortsUdp?: readonly number[];
    /** Network interfaces still attachable for awsvpc tasks. */
    enis: number;
    /** GPU ids not assigned to a task. */
    gpuIds: readonly string[];
  };
  /** Tasks on the instance that count for spread, distinctInstance and task:group. */
  tasks: readonly CandidateTask[];
  /** RUNNING tasks, for the runningTasksCount subject; defaults to the number of tasks. */
  runningTasksCount?: number;
  /** First and last port of the instance's dynamic host port range. */
  dynamicPortRange?: { first: number; last: number };
}

export interface HostPortRequirement {
  port: number;
  protocol: "tcp" | "udp";
}

export interface TaskRequirements {
  cpu: number;
  memory: number;
  gpus: number;
  /** Fixed host ports (host network mode, or bridge mappings with a hostPort). */
  hostPorts: readonly HostPortRequirement[];
  /** Bridge mappings without a hostPort: each takes a port from the dynamic range. */
  dynamicPorts: readonly ("tcp" | "udp")[];
  /** awsvpc tasks take one network interface each. */
  awsvpc: boolean;
  /** awsvpc on EC2: the Availability Zones of the task's subnets; instances elsewhere are refused. */
  availabilityZones?: readonly string[];
  /** Attributes the instance must have (the task definition's requiresAttributes). */
  requiredAttributes: readonly { name: string; value?: string | null }[];
  group?: string;
}

export interface PlacementRequest {
  requirements: TaskRequirements;
  count: number;
  strategies?: readonly PlacementStrategy[];
  /** The request's constraints and the task definition's, together. */
  constraints?: readonly PlacementConstraint[];
  /** A float in [0, 1); the seeded source in the simulator. */
  random: () => number;
}

export interface Placement {
  instanceArn: string;
  ec2InstanceId: string;
  /** Host ports the task got, fixed and dynamic, in the order of the requirements. */
  hostPorts: HostPortRequirement[];
  gpuIds: string[];
}

export interface PlacementFailure {
  arn: string;
  reason: string;
}

export interface PlacementResult {
  placements: Placement[];
  /** One entry per instance that could not take the first task left unplaced. */
  failures: PlacementFailure[];
  unplaced: number;
  /** The instance that got furthest through the checks, for the service event. */
  closest?: PlacementFailure;
  /** The instances after the placements (resources consumed, tasks added). */
  instances: CandidateInstance[];
}
