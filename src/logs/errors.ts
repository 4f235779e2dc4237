/**
 * CloudWatch Logs error types. They share AwsError's wire shape (`__type`, `message`), so the
 * same JSON error writer serves both the ECS and the Logs_20140328 targets.
 */
import { AwsError } from "../errors/aws-errors.js";

export const LogsMessages = {
  groupNotFound: "The specified log group does not exist.",
  streamNotFound: "The specified log stream does not exist.",
  groupExists: "The specified log group already exists",
  streamExists: "The specified log stream already exists",
  /** SIMULATOR */
  missingParameter: (name: string) => `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
  /** SIMULATOR */
  invalidToken: "The specified nextToken is invalid.",
  /** SIMULATOR */
  unsupported: (op: string) => `ecs-sim does not implement the Logs ${op} operation.`,
} as const;

export class LogsResourceNotFoundException extends AwsError {
  readonly code = "ResourceNotFoundException";
}
export class LogsResourceAlreadyExistsException extends AwsError {
  readonly code = "ResourceAlreadyExistsException";
}
export class LogsInvalidParameterException extends AwsError {
  readonly code = "InvalidParameterException";
}
export class LogsUnknownOperationException extends AwsError {
  readonly code = "UnknownOperationException";
}
