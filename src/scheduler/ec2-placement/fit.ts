import { PlacementFailureReason } from "../../errors/ec2-messages.js";
import { DEFAULT_DYNAMIC_PORT_RANGE } from "../../domain/container-instances/registration.js";
import type { ClusterQuery, QueryTarget } from "./cluster-query.js";
import type { CandidateInstance, TaskRequirements } from "./types.js";

/** A placement constraint ready to test: memberOf carries its compiled expression. */
export interface CompiledConstraint {
  type: "memberOf" | "distinctInstance";
  matches?: ClusterQuery;
}

export type FitResult =
  | { kind: "fits" }
  | { kind: "excluded" }
  | { kind: "fails"; reason: string; progress: number };

export function queryTarget(instance: CandidateInstance): QueryTarget {
  return {
    ec2InstanceId: instance.ec2InstanceId,
    agentConnected: instance.agentConnected,
    agentVersion: instance.agentVersion,
    registeredAt: instance.registeredAt,
    runningTasksCount: instance.runningTasksCount ?? instance.tasks.length,
    attributes: new Map(Object.entries(instance.attributes)),
    taskGroups: instance.tasks.flatMap((t) => (t.group === undefined ? [] : [t.group])),
  };
}

function hasAttribute(instance: CandidateInstance, name: string, value?: string | null): boolean {
  if (!Object.prototype.hasOwnProperty.call(instance.attributes, name)) return false;
  return value === undefined || value === null || instance.attributes[name] === value;
}

/** Free ports of the dynamic range, lowest first, that are not in use on the instance. */
export function freeDynamicPorts(instance: CandidateInstance, used: ReadonlySet<number>, wanted: number): number[] {
  const range = instance.dynamicPortRange ?? DEFAULT_DYNAMIC_PORT_RANGE;
  const out: number[] = [];
  for (let port = range.first; port <= range.last && out.length < wanted; port++) if (!used.has(port)) out.push(port);
  return out;
}

/** Free ports left in the dynamic range. */
export function freeDynamicPortCount(instance: CandidateInstance, used: readonly number[]): number {
  const range = instance.dynamicPortRange ?? DEFAULT_DYNAMIC_PORT_RANGE;
  const inRange = new Set(used.filter((p) => p >= range.first && p <= range.last)).size;
  return range.last - range.first + 1 - inRange;
}

/**
 * ECS keeps at most 100 reserved host ports per instance ("Too many ports registered"); ports
 * taken from the dynamic range do not count, which is why dynamic mapping is the remedy.
 */
export const MAX_RESERVED_PORTS_PER_INSTANCE = 100;

function reservedPortCount(used: ReadonlySet<number>, dynamic: readonly number[] = []): number {
  return used.size - dynamic.filter((p) => used.has(p)).length;
}

function portsFit(instance: CandidateInstance, req: TaskRequirements, protocol: "tcp" | "udp"): boolean {
  const used = new Set(protocol === "tcp" ? instance.remaining.ports : instance.remaining.portsUdp);
  for (const p of req.hostPorts) {
    if (p.protocol !== protocol) continue;
    if (used.has(p.port)) return false;
    used.add(p.port);
  }
  const dynamicInUse = protocol === "tcp" ? instance.remaining.dynamicPorts : instance.remaining.dynamicPortsUdp;
  if (reservedPortCount(used, dynamicInUse) > MAX_RESERVED_PORTS_PER_INSTANCE) return false;
  const dynamic = req.dynamicPorts.filter((p) => p === protocol).length;
  return dynamic === 0 || freeDynamicPorts(instance, used, dynamic).length === dynamic;
}

type Check = readonly [reason: string, passes: (i: CandidateInstance, r: TaskRequirements) => boolean];

const RESOURCE_CHECKS: readonly Check[] = [
  [PlacementFailureReason.agent, (i) => i.agentConnected],
  [
    PlacementFailureReason.location,
    (i, r) => r.availabilityZones === undefined || r.availabilityZones.includes(i.attributes["ecs.availability-zone"] ?? ""),
  ],
  [PlacementFailureReason.attribute, (i, r) => r.requiredAttributes.every((a) => hasAttribute(i, a.name, a.value))],
  [PlacementFailureReason.cpu, (i, r) => i.remaining.cpu >= r.cpu],
  [PlacementFailureReason.memory, (i, r) => i.remaining.memory >= r.memory],
  [PlacementFailureReason.ports, (i, r) => portsFit(i, r, "tcp")],
  [PlacementFailureReason.portsUdp, (i, r) => portsFit(i, r, "udp")],
  [PlacementFailureReason.gpu, (i, r) => i.remaining.gpuIds.length >= r.gpus],
  [PlacementFailureReason.eni, (i, r) => !r.awsvpc || i.remaining.enis >= 1],
];

/**
 * One instance against one task: the checks run in the order ECS describes (agent, subnet zone
 * and attributes, then CPU, memory, ports, GPUs and interfaces, then constraints). The first
 * failed check is the instance's failure reason; how far it got makes it the "closest matching"
 * instance.
 */
export function checkFit(
  instance: CandidateInstance,
  req: TaskRequirements,
  constraints: readonly CompiledConstraint[],
): FitResult {
  if (instance.status === "INACTIVE") return { kind: "fails", reason: PlacementFailureReason.inactive, progress: 0 };
  // DRAINING and transitional instances take no new tasks and are not reported per instance.
  if (instance.status !== "ACTIVE") return { kind: "excluded" };
  let progress = 1;
  for (const [reason, passes] of RESOURCE_CHECKS) {
    if (!passes(instance, req)) return { kind: "fails", reason, progress };
    progress++;
  }
  for (const c of constraints) {
    if (c.type === "memberOf" && !c.matches!(queryTarget(instance))) {
      return { kind: "fails", reason: PlacementFailureReason.memberOf, progress };
    }
    if (c.type === "distinctInstance" && instance.tasks.some((t) => t.group === req.group)) {
      return { kind: "fails", reason: PlacementFailureReason.distinctInstance, progress };
    }
  }
  return { kind: "fits" };
}

/** The instances a cluster query selects (ListContainerInstances `filter`), in their order. */
export function filterByQuery(instances: readonly CandidateInstance[], matches: ClusterQuery): CandidateInstance[] {
  return instances.filter((i) => matches(queryTarget(i)));
}
