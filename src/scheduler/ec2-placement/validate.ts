import type { PlacementConstraint, PlacementStrategy } from "@aws-sdk/client-ecs";
import { InvalidParameterException } from "../../errors/aws-errors.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { compileClusterQuery } from "./cluster-query.js";
import type { CompiledConstraint } from "./fit.js";

export const MAX_PLACEMENT_STRATEGIES = 5;
/** Constraints of the request and of the task definition, counted together. */
export const MAX_PLACEMENT_CONSTRAINTS = 10;
export const MAX_EXPRESSION_LENGTH = 2000;

/**
 * What a REPLICA service places with when it names no strategy: balance across Availability Zones,
 * then favour the instance with the fewest tasks of the service within a zone (the service
 * scheduler's documented placement and scale-in steps).
 */
export const DEFAULT_SERVICE_STRATEGY: readonly PlacementStrategy[] = [
  { type: "spread", field: "attribute:ecs.availability-zone" },
  { type: "spread", field: "instanceId" },
];

export type StrategyRule =
  | { type: "random" }
  | { type: "binpack"; field: "cpu" | "memory" }
  | { type: "spread"; field: { kind: "instance" } | { kind: "attribute"; name: string } };

/** Checks and normalizes placement strategies (field names are case-insensitive, as on AWS). */
export function compileStrategies(strategies: readonly PlacementStrategy[] = []): StrategyRule[] {
  if (strategies.length > MAX_PLACEMENT_STRATEGIES) throw new InvalidParameterException(Ec2Messages.tooManyStrategies);
  return strategies.map((s) => {
    const field = s.field ?? "";
    switch (s.type) {
      case "random":
        return { type: "random" };
      case "binpack": {
        const f = field.toLowerCase();
        if (f !== "cpu" && f !== "memory") throw new InvalidParameterException(Ec2Messages.binpackField(field));
        return { type: "binpack", field: f };
      }
      case "spread": {
        if (!field) throw new InvalidParameterException(Ec2Messages.spreadFieldRequired);
        const lower = field.toLowerCase();
        if (lower === "instanceid" || lower === "host") return { type: "spread", field: { kind: "instance" } };
        if (lower.startsWith("attribute:") && field.length > "attribute:".length) {
          return { type: "spread", field: { kind: "attribute", name: field.slice("attribute:".length) } };
        }
        throw new InvalidParameterException(Ec2Messages.spreadField(field));
      }
      default:
        throw new InvalidParameterException(Ec2Messages.unknownStrategyType(String(s.type)));
    }
  });
}

/** Checks placement constraints and compiles their expressions. */
export function compileConstraints(constraints: readonly PlacementConstraint[] = []): CompiledConstraint[] {
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) throw new InvalidParameterException(Ec2Messages.tooManyConstraints);
  return constraints.map((c) => {
    switch (c.type) {
      case "distinctInstance":
        // AWS refuses even an empty expression here.
        if (c.expression !== undefined) throw new InvalidParameterException(Ec2Messages.distinctInstanceExpression);
        return { type: "distinctInstance" };
      case "memberOf": {
        const expression = c.expression ?? "";
        if (expression.trim() === "") throw new InvalidParameterException(Ec2Messages.memberOfWithoutExpression);
        if (expression.length > MAX_EXPRESSION_LENGTH) throw new InvalidParameterException(Ec2Messages.expressionTooLong);
        return { type: "memberOf", matches: compileClusterQuery(expression) };
      }
      default:
        throw new InvalidParameterException(Ec2Messages.unknownConstraintType(String(c.type)));
    }
  });
}
