/**
 * One class per AWS error type. The wire name is the class's `code`; HTTP status follows the
 * model: every ECS error is a 400 client error except ServerException (500).
 */
export abstract class AwsError extends Error {
  abstract readonly code: string;
  readonly status: number = 400;
  /** Extra members of the error shape (ConflictException carries resourceIds). */
  readonly extra: Record<string, unknown> = {};

  constructor(message: string) {
    // An AWS error is an answer, not a fault: nobody reads its stack, and capturing one was a
    // visible share of a throttled request's cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  toBody(): Record<string, unknown> {
    return { __type: this.code, message: this.message, ...this.extra };
  }
}

export class ClientException extends AwsError {
  readonly code = "ClientException";
}
export class InvalidParameterException extends AwsError {
  readonly code = "InvalidParameterException";
}
export class ServerException extends AwsError {
  readonly code = "ServerException";
  override readonly status = 500;
}
export class AccessDeniedException extends AwsError {
  readonly code = "AccessDeniedException";
}
export class InvalidSignatureException extends AwsError {
  readonly code = "InvalidSignatureException";
}
export class UnrecognizedClientException extends AwsError {
  readonly code = "UnrecognizedClientException";
}
export class MissingAuthenticationTokenException extends AwsError {
  readonly code = "MissingAuthenticationTokenException";
  override readonly status = 403;
}
export class ThrottlingException extends AwsError {
  readonly code = "ThrottlingException";
}
export class SerializationException extends AwsError {
  readonly code = "SerializationException";
}
export class UnknownOperationException extends AwsError {
  readonly code = "UnknownOperationException";
}
export class ClusterNotFoundException extends AwsError {
  readonly code = "ClusterNotFoundException";
}
export class ServiceNotFoundException extends AwsError {
  readonly code = "ServiceNotFoundException";
}
export class ServiceNotActiveException extends AwsError {
  readonly code = "ServiceNotActiveException";
}
export class PlatformUnknownException extends AwsError {
  readonly code = "PlatformUnknownException";
}
export class PlatformTaskDefinitionIncompatibilityException extends AwsError {
  readonly code = "PlatformTaskDefinitionIncompatibilityException";
}
export class UnsupportedFeatureException extends AwsError {
  readonly code = "UnsupportedFeatureException";
}
export class LimitExceededException extends AwsError {
  readonly code = "LimitExceededException";
}
export class UpdateInProgressException extends AwsError {
  readonly code = "UpdateInProgressException";
}
export class ResourceNotFoundException extends AwsError {
  readonly code = "ResourceNotFoundException";
}
export class ResourceInUseException extends AwsError {
  readonly code = "ResourceInUseException";
}
export class ClusterContainsServicesException extends AwsError {
  readonly code = "ClusterContainsServicesException";
}
export class ClusterContainsTasksException extends AwsError {
  readonly code = "ClusterContainsTasksException";
}
export class ClusterContainsContainerInstancesException extends AwsError {
  readonly code = "ClusterContainsContainerInstancesException";
}
export class ClusterContainsCapacityProviderException extends AwsError {
  readonly code = "ClusterContainsCapacityProviderException";
}
export class ConflictException extends AwsError {
  readonly code = "ConflictException";
  constructor(message: string, resourceIds: string[]) {
    super(message);
    this.extra["resourceIds"] = resourceIds;
  }
}
export class BlockedException extends AwsError {
  readonly code = "BlockedException";
}
export class TaskSetNotFoundException extends AwsError {
  readonly code = "TaskSetNotFoundException";
}
export class ServiceDeploymentNotFoundException extends AwsError {
  readonly code = "ServiceDeploymentNotFoundException";
}
export class TargetNotFoundException extends AwsError {
  readonly code = "TargetNotFoundException";
}
export class NamespaceNotFoundException extends AwsError {
  readonly code = "NamespaceNotFoundException";
}
export class NoUpdateAvailableException extends AwsError {
  readonly code = "NoUpdateAvailableException";
}
export class AttributeLimitExceededException extends AwsError {
  readonly code = "AttributeLimitExceededException";
}
/** EC2 Auto Scaling's (query protocol) refusal of a request. */
export class AutoScalingValidationError extends AwsError {
  readonly code = "ValidationError";
}
