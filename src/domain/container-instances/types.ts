import type { Attribute } from "@aws-sdk/client-ecs";
import type { Scope } from "../scope.js";

/** A simulated EC2 instance to start and register, as the admin API, a config file or an Auto Scaling group asks for it. */
export interface SimulatedInstanceSpec {
  cluster: string;
  instanceType: string;
  /** Defaults to the region's first zone (`<region>a`), or round-robin over zones for a count. */
  availabilityZone?: string;
  attributes?: Attribute[];
  capacityProviderName?: string;
  autoScalingGroupName?: string;
  /** Registers with trunking on (more interfaces for awsvpc tasks) where the type supports it. */
  awsvpcTrunking?: boolean;
  /** ECS_ENABLE_SPOT_INSTANCE_DRAINING: a spot interruption notice drains the instance. */
  spotInstanceDraining?: boolean;
  /** Boot delay before the agent registers (ms on the simulator's clock); 0 registers at once. */
  bootDelayMs?: number;
}

export interface TerminateOptions {
  /** A spot interruption notice first (two minutes on AWS): with spot draining the instance goes DRAINING. */
  spotNotice?: boolean;
  /** Why, for the instance's statusReason and the event. */
  reason?: string;
}

/**
 * What the Auto Scaling simulation (and any other owner of simulated EC2 instances) needs from
 * the container-instance domain. Implemented by ContainerInstanceService.
 */
export interface InstanceLauncher {
  /** Starts an instance; it registers after its boot delay. Returns the EC2 instance id at once. */
  launch(scope: Scope, spec: SimulatedInstanceSpec): { ec2InstanceId: string };
  /** EC2 termination: running tasks stop, the agent disconnects, the instance goes INACTIVE. */
  terminate(scope: Scope, ec2InstanceId: string, opts?: TerminateOptions): void;
  /** Puts an instance into DRAINING (a lifecycle hook's or managed draining's first step). */
  drain(scope: Scope, ec2InstanceId: string): void;
  /** Tasks not yet STOPPED on the instance (draining is complete at 0). */
  activeTaskCount(scope: Scope, ec2InstanceId: string): number;
}

/** What changed on an instance, for listeners (services place daemons, drain; Auto Scaling counts). */
export interface InstanceChange {
  scope: Scope;
  clusterName: string;
  containerInstanceArn: string;
  ec2InstanceId: string;
  kind: "registered" | "status" | "agent" | "deregistered" | "terminated" | "attributes" | "resources";
}
