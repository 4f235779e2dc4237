import { InvalidParameterException } from "../../errors/aws-errors.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { evaluateQuery, type QueryTarget } from "./query-eval.js";
import { QuerySyntaxError } from "./query-lexer.js";
import { parseQuery, type QueryNode } from "./query-parser.js";

export type { QueryTarget } from "./query-eval.js";

export type ClusterQuery = (target: QueryTarget) => boolean;

/**
 * Compiles a cluster query language expression (placement constraints, ListContainerInstances
 * `filter`) into a predicate. A malformed expression is an InvalidParameterException.
 */
export function compileClusterQuery(expression: string): ClusterQuery {
  let ast: QueryNode;
  try {
    ast = parseQuery(expression);
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw new InvalidParameterException(Ec2Messages.invalidExpression(expression, err.message));
    throw err;
  }
  return (target) => evaluateQuery(ast, target);
}
