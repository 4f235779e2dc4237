/**
 * Every client-visible string in one place, copied exactly from what AWS sends (curly quotes and
 * apostrophes included). Clients match these byte for byte; change one only against AWS's own
 * text. Strings marked SIMULATOR are the simulator's own choice where AWS's wording is unknown
 * (the README lists them under "The simulator's own choices").
 */
export const Messages = {
  // Wire protocol
  rateExceeded: "Rate exceeded",
  // Request signing (with --verify-signatures)
  invalidSignature:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  unrecognizedClient: "The security token included in the request is invalid.",
  /** SIMULATOR: AWS's wording for an unsigned request varies by service. */
  missingAuthenticationToken: "Missing Authentication Token",
  serverUnavailable: "Service Unavailable. Please try again later.",
  /** SIMULATOR */
  unknownOperation: (target: string) => `Operation ${target} is not supported by Amazon ECS.`,
  /** SIMULATOR */
  notImplemented: (op: string) =>
    `ecs-sim does not implement the ${op} operation yet. See the operations table in the ecs-sim README.`,
  /** SIMULATOR */
  invalidJson: "Invalid JSON in request body.",
  /** SIMULATOR */
  bodyTooLarge: (limit: number) => `Request body exceeds the maximum size of ${limit} bytes.`,
  /** SIMULATOR */
  jsonTooDeep: (limit: number) => `Request body is nested more than ${limit} levels deep.`,

  // Images
  /** The agent's text when a registry answers that the image does not exist. */
  imageNotFound: (ref: string) =>
    `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ref}: not found`,

  // Clusters
  clusterNotFound: "Cluster not found.",
  /** AWS's words, as Terraform logs quote ClusterContains{Services,Tasks}Exception. */
  clusterContainsServices:
    "The Cluster cannot be deleted while Services are active.",
  clusterContainsTasks: "The Cluster cannot be deleted while Tasks are active.",
  clusterContainsContainerInstances: "The Cluster cannot be deleted while Container Instances are active or draining.",
  /** SIMULATOR */
  clusterNameInvalid:
    "Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores, and hyphens.",

  // Task definitions
  familyInvalid: "Family contains invalid characters.",
  familyBlank: "Family can not be blank.",
  tagsEmpty: "Tags can not be empty.",
  tooManyConcurrentRegistrations:
    "Too many concurrent attempts to create a new revision of the specified family.",
  unableToDescribeTaskDefinition: "Unable to describe task definition.",
  taskDefinitionNotFound: "TaskDefinition not found.",
  taskDefinitionInactive: "TaskDefinition is inactive",
  /** SIMULATOR: the reference has no verbatim text for a definition being deleted. */
  taskDefinitionDeleteInProgress: "TaskDefinition is being deleted and cannot be used to run tasks or create services.",
  containerImageEmpty: "Container.image should not be null or empty.",
  containerMemoryMissing: (name: string) =>
    `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
  /** SIMULATOR */
  containerMemoryBelowReservation: (name: string) =>
    `Invalid setting for container '${name}'. The 'memory' value must be greater than or equal to 'memoryReservation'.`,
  /** SIMULATOR */
  containerNameDuplicate: (name: string) => `Duplicate container name: ${name}.`,
  /** SIMULATOR */
  containerNameInvalid: (name: string) =>
    `Invalid container name '${name}'. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.`,
  /** SIMULATOR */
  containerCountInvalid: "A task definition must contain between 1 and 10 container definitions.",
  /** SIMULATOR */
  taskDefinitionTooLarge: (limit: number) => `Task definition size exceeds the maximum of ${limit} bytes.`,
  /** SIMULATOR */
  revisionLimit: (limit: number) => `The maximum number of revisions (${limit}) for this family has been reached.`,
  fargateInvalidConfiguration: (cpu: string, memory: string) =>
    `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
  fargateCpuRequired: "Fargate requires that 'cpu' be defined at the task level.",
  fargateMemoryRequired: "Fargate requires that 'memory' be defined at the task level.",
  fargateNetworkMode: "Fargate only supports network mode \u2018awsvpc\u2019.",
  fargatePlacementConstraints: "Fargate does not support task placement constraints.",
  fargateHostVolume: "host.sourcePath should not be set for volumes in Fargate.",
  fargatePidMode: (mode: string) =>
    `Tasks using the Fargate launch type do not support pidMode '${mode}'. The supported value for pidMode is 'task'.`,
  fargateAwslogsNeedsExecutionRole: "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
  secretsNeedExecutionRole: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'",
  /** SIMULATOR (CloudFormation says "EphemeralStorage size should be at least 21"). */
  ephemeralStorageRange: "The ephemeral storage size must be between 21 and 200 GiB.",
  invalidCpuValue: "Invalid 'cpu' setting for task.",
  /** SIMULATOR: the memory twin of AWS's cpu wording. */
  invalidMemoryValue: "Invalid 'memory' setting for task.",
  deleteTaskDefinitionsLimit: "Size of TaskDefinition references list cannot exceed 10",
  /** DeleteTaskDefinitions wording as moto reproduces AWS's (the reference has none of these). */
  deleteTaskDefinitionsEmpty: "size of TaskDefinition references list must be greater than 0",
  deleteTaskDefinitionInvalidId: "The specified task definition identifier is invalid. Specify a valid name or ARN and try again.",
  deleteTaskDefinitionMissing:
    "The specified task definition does not exist. Specify a valid account, family, revision and try again.",
  deleteTaskDefinitionActive: "The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
  /** SIMULATOR */
  deregisterNeedsRevision: "A task definition revision must be specified (family:revision or the full ARN).",

  // Tasks
  networkConfigurationRequired:
    "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
  launchTypeNotSupported: (launchType: string) => `Task definition does not support launch_type ${launchType}.`,
  launchTypeAndStrategy:
    "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
  capacityProviderNotAssociated:
    "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
  /** SIMULATOR */
  strategyOneBase: "Only one capacity provider in a capacity provider strategy can have a base defined.",
  /** SIMULATOR */
  strategyAllZeroWeights: "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.",
  /** SIMULATOR */
  runTaskCount: "count must be between 1 and 10.",
  taskNotFound: "The referenced task was not found.",
  tasksEmpty: "Tasks cannot be empty.",
  tooManyTaskIds: "taskIds can have at most 100 items.",
  clientTokenConflict: "The specified client token has already been used in a different request.",
  stoppedByUser: "Task stopped by user",
  essentialContainerExited: "Essential container in task exited",
  spotInterrupted: "Your Spot Task was interrupted.",
  scalingActivity: (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`,
  outOfMemory: "OutOfMemoryError: Container killed due to memory usage",
  /** SIMULATOR: AWS documents no wording for a task whose network interface goes away under it. */
  networkLostBeforeStart: "ResourceInitializationError: failed to configure the task's network: its network namespace holder exited",
  /** SIMULATOR: a container of a persisted task that was no longer there after a restart. */
  containerGoneAtRestart: "The container was gone when the simulator restarted",
  /** SIMULATOR: stopCode InfrastructureHealth, for a persisted task whose essential container was gone after a restart. */
  containersGoneAtRestart: "Task stopped because its containers were gone when the simulator restarted",
  /** SIMULATOR: stopCode InfrastructureHealth; AWS documents no wording for this case. */
  networkLost: "Task stopped because its network interface was lost: its network namespace holder exited",
  /** Fargate's stoppedReason when an awslogs group is missing and awslogs-create-group is not "true". */
  awslogsGroupMissing:
    "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1",
  /** SIMULATOR: the affected container's reason, naming what AWS's stoppedReason leaves out. */
  awslogsGroupMissingContainer: (group: string) =>
    `ResourceInitializationError: the log group ${group} does not exist; create it or set awslogs-create-group to "true"`,
  /** SIMULATOR */
  dependencyNotMet: (condition: string, dependency: string, container: string, why: string) =>
    `CannotStartContainerError: dependency condition ${condition} on container '${dependency}' for container '${container}' was not met: ${why}`,
  /** SIMULATOR */
  dependencyTimedOut: (container: string) => `CannotStartContainerError: timed out waiting for the dependencies of container '${container}'`,
  /** SIMULATOR */
  startedByOnlyFilter: "startedBy must be the only filter when it is specified.",
  /** SIMULATOR: the failure reason TASK_NOT_VALID is AWS's; its detail text is not documented. */
  taskProtectionNotValid: "Task protection is only available for running tasks that belong to a service.",
  /** SIMULATOR */
  overridesTooLarge: "Container Overrides length must be at most 8192",

  // Quotas and capacity
  vcpuLimit: "You\u2019ve reached the limit on the number of vCPUs you can run concurrently",
  cpuAboveLimit: "The requested CPU configuration is above your limit",
  memoryAboveLimit: "The requested MEMORY configuration is above your limit",
  /** SIMULATOR: what a task gets when its Fargate launch bucket is empty (AWS documents none). */
  fargateLaunchRateExceeded: "Fargate task launch rate exceeded. Please try again later.",
  capacityUnavailable:
    "Capacity is unavailable at this time. Please try again later or in a different availability zone.",

  // Tags
  /** SIMULATOR */
  resourceNotFound: "The specified resource could not be found.",
  /** SIMULATOR */
  tooManyTags: "Tags can not exceed 50.",
  /** SIMULATOR */
  tagKeyReserved: "Tag keys with prefix 'aws:' are reserved for use by AWS.",
  /** SIMULATOR */
  invalidArn: (arn: string) => `Invalid arn: ${arn}`,

  // Capacity providers
  /** AWS's words (CloudFormation and CDK users quote them); they name no provider. */
  capacityProviderInUse: "The specified capacity provider is in use and cannot be removed.",
  /** SIMULATOR */
  capacityProviderUnknown: (name: string) => `The specified capacity provider ${name} does not exist.`,
  capacityProviderExists:
    "The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.",
  capacityProviderNameInvalid:
    'The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.',
  autoScalingGroupInUse:
    "The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.",
  managedTerminationProtectionNeedsScaleInProtection:
    "The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.",
  strategyMixesFargateAndAsg:
    "A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.",
  /** The DELETE_FAILED updateStatusReason; DeleteCapacityProvider itself answers 200. */
  capacityProviderDeleteAssociated: (cluster: string) =>
    `The capacity provider cannot be deleted because it is associated with cluster: ${cluster}. Remove the capacity provider from the cluster and try again.`,
  capacityProviderNotActive: (name: string) =>
    `The specified capacity provider '${name}' is not in an ACTIVE state. Specify a valid capacity provider and try again.`,
  /** The reason in a service's unable-to-place event when the provider's group has no instance. */
  noContainerInstancesInCapacityProvider: "No Container Instances were found in your capacity provider.",
  /** SIMULATOR */
  capacityProviderUpdateInProgress: "The specified capacity provider is currently being updated. Wait for the update to complete and try again.",
  /** SIMULATOR */
  capacityProviderReserved: (name: string) => `The capacity provider ${name} is managed by AWS and cannot be created, updated or deleted.`,
  /** SIMULATOR */
  autoScalingGroupArnInvalid: "The specified Auto Scaling group ARN is invalid. Specify a valid Auto Scaling group ARN or name and try again.",
  /** SIMULATOR: AWS lets a provider belong to one cluster at a time; its wording is not established. */
  capacityProviderOtherCluster: (name: string, cluster: string) =>
    `The capacity provider ${name} is already associated with cluster ${cluster}. Remove it from that cluster first.`,

  // Services (used by the service scheduler)
  serviceNotFound: "Service not found.",
  serviceNotActive: "Service was not ACTIVE.",
  serviceScaledAboveZero: "The service cannot be stopped while it is scaled above 0.",
  serviceNotIdempotent: "Creation of service was not idempotent.",
  codeDeployTaskDefinition:
    "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
  codeDeployForce:
    "Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
  taskSetLimit: "5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.",
  desiredCountLimit: "Desired count exceeds limit.",
  /** SIMULATOR */
  serviceNameInvalid:
    "Service name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores, and hyphens.",
  /** AWS's words (a client's comment quotes it); the trailing period is the simulator's, as for tasks. */
  servicesEmpty: "Services cannot be empty.",
  tooManyServices: "service names can have at most 10 items.",
  /** SIMULATOR */
  fargateDaemon: "The DAEMON scheduling strategy is not supported for tasks using the Fargate launch type.",
  /** SIMULATOR */
  deploymentPercentRange:
    "deploymentConfiguration: minimumHealthyPercent must be between 0 and 100 and maximumPercent must be at least minimumHealthyPercent.",
  /** SIMULATOR */
  tooManyTargetGroups: "A service can have at most 5 target groups.",
  /** SIMULATOR (AWS wording not established) */
  loadBalancerContainerPort: (container: string, port: number) =>
    `The container ${container} did not have a container port ${port} defined.`,
  /** SIMULATOR */
  loadBalancerTargetGroupRequired: "targetGroupArn or loadBalancerName must be specified for each load balancer.",
  /** SIMULATOR */
  codeDeployParameter: (field: string) =>
    `Unable to update ${field} on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.`,
  /** SIMULATOR */
  externalParameter: (field: string) =>
    `Unable to update ${field} on services with an EXTERNAL deployment controller. Use task sets to change it.`,
  /** SIMULATOR */
  taskSetsNeedController:
    "Task sets are only supported for services with the CODE_DEPLOY or EXTERNAL deployment controller.",
  /** SIMULATOR */
  taskSetNotFound: "The specified task set does not exist.",
  /** SIMULATOR */
  taskSetScaledAboveZero: "The task set cannot be deleted while it is scaled above 0. Use force to delete it.",
  /** SIMULATOR */
  serviceDeploymentNotFound: "The service deployment does not exist.",
  /** SIMULATOR */
  serviceDeploymentNotInProgress: "The service deployment cannot be stopped because it is not in progress.",
  taskFailedContainerHealthChecks: "Task failed container health checks",

  // Service deployments: rolloutStateReason and EventBridge `detail.reason`
  deploymentInProgress: (id: string) => `ECS deployment ${id} in progress.`,
  deploymentCompleted: (id: string) => `ECS deployment ${id} completed.`,
  circuitBreakerTasksFailed: "ECS deployment circuit breaker: tasks failed to start.",
  /** EventBridge SERVICE_DEPLOYMENT_FAILED `detail.reason` (singular "task"). */
  circuitBreakerTaskFailedEvent: "ECS deployment circuit breaker: task failed to start.",
  circuitBreakerRollingBack: (id: string) => `ECS deployment circuit breaker: rolling back to deploymentId ${id}.`,
  /** SIMULATOR */
  deploymentStoppedByUser: (id: string) => `ECS deployment ${id} stopped by StopServiceDeployment.`,
  /** SIMULATOR */
  deploymentSuperseded: (id: string) => `ECS deployment ${id} was superseded by a newer deployment.`,

  // Service events (`services[].events[].message`)
  svcStartedTasks: (service: string, taskIds: string[]) =>
    `(service ${service}) has started ${taskIds.length} tasks: ${taskIds.map((id) => `(task ${id})`).join(" ")}.`,
  svcStoppedTasks: (service: string, taskIds: string[]) =>
    `(service ${service}) has stopped ${taskIds.length} running tasks: ${taskIds.map((id) => `(task ${id})`).join(" ")}.`,
  svcSteadyState: (service: string) => `(service ${service}) has reached a steady state.`,
  svcDeploymentCompleted: (service: string, deploymentId: string) =>
    `(service ${service}) (deployment ${deploymentId}) deployment completed.`,
  svcDeploymentFailed: (service: string) => `(service ${service}) deployment failed: tasks failed to start.`,
  svcRollingBack: (service: string, deploymentId: string) => `(service ${service}) rolling back to deployment ${deploymentId}.`,
  svcRegisteredTargets: (service: string, count: number, targetGroupArn: string) =>
    `(service ${service}) registered ${count} targets in (target-group ${targetGroupArn})`,
  svcDeregisteredTargets: (service: string, count: number, targetGroupArn: string) =>
    `(service ${service}) deregistered ${count} targets in (target-group ${targetGroupArn})`,
  svcDrainingConnections: (service: string, count: number) =>
    `(service ${service}) has begun draining connections on ${count} tasks.`,
  svcTaskFailedHealthChecks: (service: string, taskId: string) =>
    `(service ${service}) (task ${taskId}) failed container health checks.`,
  svcUnableToPlace: (service: string, reason: string) => `(service ${service}) was unable to place a task. Reason: ${reason}`,
  svcStartImpaired: (service: string) => `(service ${service}) is unable to consistently start tasks successfully.`,
  svcThrottled: (service: string) => `(service ${service}) operations are being throttled. Will try again later.`,
  svcUnableToStopOrStart: (service: string) =>
    `(service ${service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
} as const;
