import { AwsError } from "../errors/aws-errors.js";

/** Application Auto Scaling's error types, with the JSON error shape every API here shares. */
export class ValidationException extends AwsError {
  readonly code = "ValidationException";
}
export class ObjectNotFoundException extends AwsError {
  readonly code = "ObjectNotFoundException";
}
export class ConcurrentUpdateException extends AwsError {
  readonly code = "ConcurrentUpdateException";
}
export class ScalingLimitExceededException extends AwsError {
  readonly code = "LimitExceededException";
}
export class InvalidNextTokenException extends AwsError {
  readonly code = "InvalidNextTokenException";
}

export const ScalingMessages = {
  noTarget: (ns: string, resourceId: string, dimension: string) =>
    `No scalable target registered for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
  /** SIMULATOR */
  noPolicy: (name: string, ns: string, resourceId: string, dimension: string) =>
    `No scaling policy found for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}, policy name: ${name}`,
  /** SIMULATOR */
  noScheduledAction: (name: string, ns: string, resourceId: string, dimension: string) =>
    `No scheduled action found for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}, scheduled action name: ${name}`,
  /** SIMULATOR */
  onlyEcs: (ns: string) => `ecs-sim scales ECS services only; service namespace ${ns} is not supported.`,
  /** SIMULATOR */
  badResourceId: (id: string) => `Unsupported resource ID: ${id}. ECS services are service/<cluster name>/<service name>.`,
  /** SIMULATOR */
  badDimension: (d: string) => `Unsupported scalable dimension: ${d}. ECS services scale ecs:service:DesiredCount.`,
  /** SIMULATOR */
  serviceMissing: (id: string) => `ECS service doesn't exist: ${id}`,
  minAboveMax: "Minimum capacity cannot be greater than maximum capacity",
  /** SIMULATOR */
  capacityNeeded: "MinCapacity and MaxCapacity are required when registering a new scalable target",
  /** SIMULATOR */
  policyConfigMissing: (type: string) => `${type === "StepScaling" ? "StepScalingPolicyConfiguration" : "TargetTrackingScalingPolicyConfiguration"} is required for policy type ${type}`,
  /** SIMULATOR */
  badSchedule: (s: string) => `Invalid schedule expression: ${s}. Use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields).`,
  /** SIMULATOR */
  metricSpec: "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified",
} as const;
