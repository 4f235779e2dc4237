import { parseQueryDate, type Operator, type QueryNode } from "./query-parser.js";

/** What a cluster query can see of a container instance. */
export interface QueryTarget {
  ec2InstanceId: string;
  agentConnected: boolean;
  agentVersion?: string;
  /** Epoch milliseconds. */
  registeredAt?: number;
  runningTasksCount: number;
  /** Attribute name -> value; null for a name-only attribute such as a capability flag. */
  attributes: ReadonlyMap<string, string | null>;
  /** Task groups of the tasks on the instance (one entry per task). */
  taskGroups: readonly string[];
}

type Order = -1 | 0 | 1;

function sign(n: number): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareVersions(a: string, b: string): Order {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return sign(d);
  }
  return 0;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Attribute values compare as numbers when both sides are numbers, else as strings. */
function compareAttribute(a: string, b: string): Order {
  if (NUMBER.test(a) && NUMBER.test(b)) return sign(Number(a) - Number(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(op: Operator, order: Order): boolean {
  switch (op) {
    case "==":
      return order === 0;
    case "!=":
      return order !== 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    default:
      return false;
  }
}

/** A value's test against one comparison, for subjects that hold one value. */
function testValue(value: string, node: Extract<QueryNode, { kind: "compare" }>, compare: (a: string, b: string) => Order): boolean {
  const { op, args, patterns } = node;
  switch (op) {
    case "in":
      return args.some((a) => compare(value, a) === 0);
    case "!in":
      return !args.some((a) => compare(value, a) === 0);
    case "=~":
      return patterns!.some((p) => p.test(value));
    case "!~":
      return !patterns!.some((p) => p.test(value));
    default:
      return ordered(op, compare(value, args[0]!));
  }
}

const exact = (a: string, b: string): Order => (a === b ? 0 : a < b ? -1 : 1);

function evaluateCompare(node: Extract<QueryNode, { kind: "compare" }>, target: QueryTarget): boolean {
  const { subject, op } = node;
  switch (subject.kind) {
    case "attribute": {
      const present = target.attributes.has(subject.name);
      if (op === "exists") return present;
      if (op === "!exists") return !present;
      // A comparison needs the attribute: `attribute:stack != prod` lists only instances that have a stack.
      if (!present) return false;
      return testValue(target.attributes.get(subject.name) ?? "", node, compareAttribute);
    }
    case "taskGroup": {
      if (op === "exists") return target.taskGroups.length > 0;
      if (op === "!exists") return target.taskGroups.length === 0;
      // The instance is in the group when any of its tasks is; the negated forms mean "no task is".
      const positive = { ...node, op: negation(op) ?? op };
      const anyMatch = target.taskGroups.some((g) => testValue(g, positive, exact));
      return negation(op) ? !anyMatch : anyMatch;
    }
    case "agentConnected":
      return testValue(String(target.agentConnected), node, (a, b) => exact(a, b.toLowerCase()));
    case "ec2InstanceId":
      return testValue(target.ec2InstanceId, node, exact);
    case "agentVersion":
      return target.agentVersion !== undefined && testValue(target.agentVersion, node, compareVersions);
    case "registeredAt":
      return (
        target.registeredAt !== undefined &&
        testValue(String(target.registeredAt), node, (a, b) => sign(Number(a) - parseQueryDate(b)!))
      );
    case "runningTasksCount":
      return testValue(String(target.runningTasksCount), node, (a, b) => sign(Number(a) - Number(b)));
  }
}

function negation(op: Operator): Operator | undefined {
  return op === "!=" ? "==" : op === "!in" ? "in" : op === "!~" ? "=~" : undefined;
}

export function evaluateQuery(node: QueryNode, target: QueryTarget): boolean {
  switch (node.kind) {
    case "and":
      return evaluateQuery(node.left, target) && evaluateQuery(node.right, target);
    case "or":
      return evaluateQuery(node.left, target) || evaluateQuery(node.right, target);
    case "not":
      return !evaluateQuery(node.operand, target);
    case "compare":
      return evaluateCompare(node, target);
  }
}
