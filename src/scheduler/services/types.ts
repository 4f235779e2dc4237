import type {
  CapacityProviderStrategyItem,
  DeploymentConfiguration,
  LoadBalancer,
  NetworkConfiguration,
  Scale,
  ServiceConnectConfiguration,
  ServiceRegistry,
  Tag,
} from "@aws-sdk/client-ecs";
import type { Scope } from "../../domain/scope.js";
import type { LaunchTarget } from "../launch-target.js";

/** What one deployment (or task set) runs: a service revision's configuration. */
export interface RevisionConfig {
  taskDefinitionArn: string;
  target: LaunchTarget;
  /** As configured, for the views: exactly one of these is set. */
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  loadBalancers: LoadBalancer[];
  serviceRegistries: ServiceRegistry[];
  serviceConnectConfiguration?: ServiceConnectConfiguration;
}

/** A service revision (DescribeServiceRevisions): an immutable snapshot of a configuration. */
export interface RevisionState {
  arn: string;
  config: RevisionConfig;
  createdAt: number;
}

export type RolloutState = "IN_PROGRESS" | "COMPLETED" | "FAILED";

/** One entry of `services[].deployments` while it has tasks; retired once they all stopped. */
export interface DeploymentState {
  id: string;
  status: "PRIMARY" | "ACTIVE" | "INACTIVE";
  revisionArn: string;
  config: RevisionConfig;
  serviceDeploymentArn: string;
  failedTasks: number;
  /** A task of this deployment became healthy: the circuit breaker stops evaluating it. */
  breakerSettled: boolean;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  /** Set when this deployment is the rollback of a failed one (circuit breaker or StopServiceDeployment). */
  rollbackOf?: string;
  /** The "unable to stop or start tasks" event was logged for this deployment. */
  unableReported?: boolean;
}

export type ServiceDeploymentStatus =
  | "PENDING"
  | "SUCCESSFUL"
  | "STOPPED"
  | "STOP_REQUESTED"
  | "IN_PROGRESS"
  | "ROLLBACK_REQUESTED"
  | "ROLLBACK_IN_PROGRESS"
  | "ROLLBACK_SUCCESSFUL"
  | "ROLLBACK_FAILED";

/** A service deployment (DescribeServiceDeployments): the move from source revisions to a target. */
export interface ServiceDeploymentState {
  arn: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  deploymentConfiguration: DeploymentConfiguration;
  /** The ECS deployment ids (`ecs-svc/...`) that belong to it: the target and any rollback. */
  deploymentIds: string[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  breaker: { status: "TRIGGERED" | "MONITORING" | "DISABLED"; failureCount: number; threshold: number };
}

export interface TaskSetState {
  id: string;
  arn: string;
  status: "PRIMARY" | "ACTIVE" | "DRAINING";
  config: RevisionConfig;
  scale: Required<Scale>;
  externalId?: string;
  startedBy?: string;
  createdAt: number;
  updatedAt: number;
  stabilityStatus: "STEADY_STATE" | "STABILIZING";
  stabilityStatusAt: number;
  tags: Tag[];
  clientToken?: string;
}

export interface ServiceEventEntry {
  id: string;
  createdAt: number;
  message: string;
}

/** The scheduler's private state of one service, kept in ServiceRecord.internal. */
export interface ServiceInternal {
  scope: Scope;
  controller: "ECS" | "CODE_DEPLOY" | "EXTERNAL";
  /** CreateService request without clientToken, for idempotency. */
  fingerprint: string;
  clientToken?: string;
  deployments: DeploymentState[];
  /** Deployments that left `deployments` (kept for the service-deployment API). */
  retired: DeploymentState[];
  serviceDeployments: ServiceDeploymentState[];
  revisions: RevisionState[];
  taskSets: TaskSetState[];
  /** Newest first, at most 100. */
  events: ServiceEventEntry[];
  lastCompleted?: { deploymentId: string; revisionArn: string; config: RevisionConfig };
  steady: boolean;
  consecutiveFailures: number;
  startImpaired: boolean;
  /** No launches before this time (placement or start-failure back-off). */
  nextLaunchAt: number;
  placementDelayMs: number;
  /** EC2: no launch before this time because no container instance took the last task (ended early by new capacity). */
  placementRetryAt?: number;
  /** The last unable-to-place-on-an-instance event, so a service waiting for capacity does not repeat it on every retry. */
  lastPlacementEvent?: { message: string; at: number };
  /** DAEMON: the desired count last announced (SERVICE_DESIRED_COUNT_UPDATED). */
  daemonDesired?: number;
  /** Tasks whose stop was already accounted for. */
  accounted: Set<string>;
  everHealthy: Set<string>;
  schedulerStopped: Set<string>;
  /** Target group ARN -> registered task ARNs. */
  registered: Map<string, Set<string>>;
  /** When a DRAINING service had no tasks left. */
  drainedAt?: number;
}
