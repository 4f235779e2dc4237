/**
 * Client-visible strings of the EC2 launch type (container instances, placement, attributes),
 * beside messages.ts, which holds the rest. Copied from AWS responses seen in public records
 * (docs/ec2-instances.md lists where); strings marked SIMULATOR are the simulator's own wording
 * where no AWS text was found.
 */

/** RunTask/StartTask `failures[].reason` values for a container instance that cannot take a task. */
export const PlacementFailureReason = {
  cpu: "RESOURCE:CPU",
  memory: "RESOURCE:MEMORY",
  ports: "RESOURCE:PORTS",
  portsUdp: "RESOURCE:PORTS_UDP",
  gpu: "RESOURCE:GPU",
  eni: "RESOURCE:ENI",
  agent: "AGENT",
  attribute: "ATTRIBUTE",
  location: "LOCATION",
  missing: "MISSING",
  inactive: "INACTIVE",
  memberOf: "MemberOf placement constraint unsatisfied.",
  /** SIMULATOR: by analogy with the memberOf text. */
  distinctInstance: "DistinctInstance placement constraint unsatisfied.",
} as const;

export type PlacementFailureReasonText = (typeof PlacementFailureReason)[keyof typeof PlacementFailureReason];

const TROUBLESHOOTING = "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
const NO_INSTANCE_MET = "was unable to place a task because no container instance met all of its requirements.";

/** How the service event names the closest instance's problem, per failure reason. */
function closestProblem(reason: string): string {
  switch (reason) {
    case PlacementFailureReason.cpu:
      return "has insufficient CPU units available.";
    case PlacementFailureReason.memory:
      return "has insufficient memory available.";
    case PlacementFailureReason.ports:
    case PlacementFailureReason.portsUdp:
      return "is already using a port required by your task.";
    case PlacementFailureReason.attribute:
      return "is missing an attribute required by your task.";
    case PlacementFailureReason.agent:
      return "doesn't have the agent connected.";
    default:
      return `encountered error "${reason}".`;
  }
}

export const Ec2Messages = {
  /** RunTask/StartTask exception (InvalidParameterException) on a cluster without usable instances. */
  noContainerInstances: "No Container Instances were found in your cluster.",

  svcUnableToPlaceNoInstances: (service: string) =>
    `(service ${service}) ${NO_INSTANCE_MET} Reason: No Container Instances were found in your cluster. ${TROUBLESHOOTING}`,

  /** The same when the service places through an Auto Scaling group capacity provider with no instance yet. */
  svcUnableToPlaceNoInstancesInCapacityProvider: (service: string) =>
    `(service ${service}) ${NO_INSTANCE_MET} Reason: No Container Instances were found in your capacity provider. ${TROUBLESHOOTING}`,

  /** A service whose tasks would wait for an Auto Scaling provider, with 100 tasks already waiting in the cluster. */
  svcProvisioningLimit: (service: string) =>
    `(service ${service}) was unable to place tasks in your cluster because the tasks provisioning capacity limit was exceeded.`,

  /** `containerInstanceId` is the last part of the container instance ARN. */
  svcUnableToPlaceClosest: (service: string, containerInstanceId: string, reason: string) =>
    `(service ${service}) ${NO_INSTANCE_MET} The closest matching (container-instance ${containerInstanceId}) ${closestProblem(reason)} ${TROUBLESHOOTING}`,

  // DAEMON services (InvalidParameterException on CreateService/UpdateService); texts as AWS answers them
  daemonDesiredCount: "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again",
  daemonPlacementStrategy: "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again",
  daemonMaximumPercent:
    "The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again",
  daemonCapacityProviderStrategy: "Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy.",
  /** SIMULATOR: AWS documents that CODE_DEPLOY and EXTERNAL services cannot be daemons; its text was not found. */
  daemonController: (controller: string) => `The DAEMON scheduling strategy is not supported with the ${controller} deployment controller.`,

  // Container instances
  /** SIMULATOR: AWS's stoppedReason for a task whose wait in PROVISIONING ran out was not found. */
  provisioningTimedOut: (provider: string) =>
    `Task was not placed: capacity provider ${provider} had no container instance with room for it before the provisioning timeout.`,
  /** The stoppedReason of tasks whose instance was terminated. */
  hostTerminated: (ec2InstanceId: string) => `Host EC2 (instance ${ec2InstanceId}) terminated.`,
  deregisterRunningTasks: "Found running tasks on the instance.",
  noAgentUpdate: "There is no update available for your container agent.",
  agentUpdateInProgress: "Agent update is already in progress.",
  /** SIMULATOR */
  invalidInstanceStatus: (status: string) => `Container instance status ${status} is not valid. Valid values: ACTIVE, DRAINING.`,
  /** SIMULATOR */
  registrationResourcesRequired:
    "totalResources are required when the instance identity document does not name a known instance type.",
  /** SIMULATOR */
  identityDocumentInvalid: "The instance identity document is not valid JSON.",
  /** SIMULATOR */
  unknownInstanceType: (name: string) => `Unknown instance type ${name}: the simulator knows the t3, m5, m6i, m7g, c5, c6g, r5 and g4dn families.`,
  /** SIMULATOR: StartTask names instances that are not in the cluster. */
  containerInstanceNotFound: (ref: string) => `Container instance ${ref} was not found in the cluster.`,
  tooManyStartTaskInstances: "The number of container instances must be less than or equal to 10.",
  attributeLimit: "You can apply up to 10 custom attributes for each resource.",
  /** SIMULATOR */
  attributeTargetNotFound: (target: string) => `Could not find the target ${target} in the cluster.`,
  /** SIMULATOR */
  attributeTargetTypeRequired: "targetType is required when targetId is not a container instance ARN.",
  /** SIMULATOR */
  attributeTargetIdRequired: "targetId is required for container-instance attributes.",
  /** SIMULATOR */
  attributeName: (name: string) => `Invalid attribute name ${name}: up to 128 letters, numbers, hyphens, underscores, slashes, back slashes and periods.`,
  /** SIMULATOR */
  attributeValue: (value: string) => `Invalid attribute value ${value}: up to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons and spaces.`,

  // Request validation (InvalidParameterException)
  distinctInstanceExpression: "distinctInstance expression should not be specified.",
  /** SIMULATOR */
  memberOfWithoutExpression: "memberOf constraint requires an expression.",
  /** SIMULATOR */
  tooManyStrategies: "The number of placement strategies must be less than or equal to 5.",
  /** SIMULATOR */
  tooManyConstraints: "The number of placement constraints must be less than or equal to 10.",
  /** SIMULATOR */
  expressionTooLong: "The placement constraint expression must be 2000 characters or fewer.",
  /** SIMULATOR */
  unknownConstraintType: (type: string) => `Invalid placement constraint type: ${type}. Valid values: distinctInstance, memberOf.`,
  /** SIMULATOR */
  unknownStrategyType: (type: string) => `Invalid placement strategy type: ${type}. Valid values: random, spread, binpack.`,
  /** SIMULATOR */
  binpackField: (field: string) => `Invalid field for binpack placement strategy: ${field}. Valid values: cpu, memory.`,
  /** SIMULATOR */
  spreadFieldRequired: "A spread placement strategy requires a field: instanceId, host, or attribute:<name>.",
  /** SIMULATOR */
  spreadField: (field: string) => `Invalid field for spread placement strategy: ${field}. Valid values: instanceId, host, attribute:<name>.`,
  /** SIMULATOR: AWS's wording for a malformed cluster query was not found. */
  invalidExpression: (expression: string, detail: string) => `Invalid cluster query expression '${expression}': ${detail}.`,
} as const;
