/**
 * A simulated EC2 Auto Scaling group: the records the store keeps. There is no EC2 here; the
 * group's instances are simulated container instances started through the InstanceLauncher.
 */

/** Auto Scaling's lifecycle states, as DescribeAutoScalingGroups shows them (the subset simulated). */
export type AsgLifecycleState = "Pending" | "InService" | "Terminating:Wait" | "Terminating:Proceed" | "Terminated";

export interface AsgInstanceRecord {
  instanceId: string;
  availabilityZone: string;
  instanceType: string;
  lifecycleState: AsgLifecycleState;
  protectedFromScaleIn: boolean;
  launchedAt: number;
  /** When the boot delay ends and the instance is InService. */
  inServiceAt: number;
  /** Terminating:Wait ends at this time if nobody completes the lifecycle action. */
  heartbeatDeadline?: number;
  /** Hooks still to complete before termination (managed draining is one of them). */
  pendingHooks?: string[];
}

export interface LifecycleHookRecord {
  name: string;
  transition: "autoscaling:EC2_INSTANCE_TERMINATING";
  /** Seconds in Terminating:Wait before defaultResult applies (Auto Scaling's default: 3600). */
  heartbeatTimeout: number;
  defaultResult: "CONTINUE" | "ABANDON";
}

/** One entry of the group's activity history (scaling actions, launches, terminations). */
export interface AsgActivity {
  time: number;
  kind: "launch" | "terminate" | "desired-capacity" | "protection" | "lifecycle";
  description: string;
  cause: string;
  instanceId?: string;
}

export interface AutoScalingGroupRecord {
  name: string;
  arn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instanceType: string;
  availabilityZones: string[];
  /**
   * The ECS cluster launched instances join (ECS_CLUSTER in their user data); unset, the cluster
   * its capacity provider is associated with at launch, else `default`.
   */
  cluster?: string;
  newInstancesProtectedFromScaleIn: boolean;
  lifecycleHooks: LifecycleHookRecord[];
  /** Seeded boot delay range (ms) from launch to InService and registration. */
  bootDelayMs: { min: number; max: number };
  instances: AsgInstanceRecord[];
  activities: AsgActivity[];
  createdAt: number;
}
