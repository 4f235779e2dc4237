import type { z } from "zod";
import { InvalidParameterException, type AwsError } from "../errors/aws-errors.js";

/**
 * Turns the first zod issue into the AWS validation message format
 * ("1 validation error detected: Value ... at 'a.b' failed to satisfy constraint: ..."),
 * which names the member the way AWS does.
 */
export function validationError<E extends AwsError = InvalidParameterException>(
  error: z.ZodError,
  input: unknown,
  make: (message: string) => E = (message) => new InvalidParameterException(message) as unknown as E,
): E {
  const issues = error.issues;
  const first = issues[0]!;
  const path = first.path.map((p) => (typeof p === "number" ? `${p + 1}.member` : p)).join(".");
  const value = valueAt(input, first.path);
  const constraint = describe(first);
  const count = issues.length;
  const shown = value === undefined || value === null ? "null" : `'${truncate(typeof value === "string" ? value : JSON.stringify(value))}'`;
  return make(`${count} validation error${count > 1 ? "s" : ""} detected: Value ${shown} at '${path || "body"}' failed to satisfy constraint: ${constraint}`);
}

function describe(issue: z.ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.received === "undefined" || issue.received === "null"
        ? "Member must not be null"
        : `Member must be of type ${issue.expected}`;
    case "invalid_enum_value":
      return `Member must satisfy enum value set: [${issue.options.join(", ")}]`;
    case "invalid_literal":
      return `Member must satisfy enum value set: [${String(issue.expected)}]`;
    case "too_small":
      return issue.type === "string" || issue.type === "array"
        ? `Member must have length greater than or equal to ${issue.minimum}`
        : `Member must have value greater than or equal to ${issue.minimum}`;
    case "too_big":
      return issue.type === "string" || issue.type === "array"
        ? `Member must have length less than or equal to ${issue.maximum}`
        : `Member must have value less than or equal to ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function truncate(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}...` : s;
}
