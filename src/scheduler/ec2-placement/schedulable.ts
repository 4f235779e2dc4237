import { checkFit, freeDynamicPortCount, type CompiledConstraint } from "./fit.js";
import { compileConstraints } from "./validate.js";
import type { PlacementConstraint } from "@aws-sdk/client-ecs";
import type { CandidateInstance, TaskRequirements } from "./types.js";

/**
 * How many tasks of one size fit on an instance as it is now: the "schedulable containers"
 * metric (for each instance, how many of the task fit), computed the way placement checks one
 * task, per resource. Strategies do not matter here; constraints do, as they do for placement.
 */
export function schedulableCount(
  instance: CandidateInstance,
  req: TaskRequirements,
  constraints: readonly PlacementConstraint[] = [],
): number {
  return countFor(instance, req, compileConstraints(constraints));
}

function countFor(instance: CandidateInstance, req: TaskRequirements, constraints: readonly CompiledConstraint[]): number {
  if (checkFit(instance, req, constraints).kind !== "fits") return 0;
  const limits: number[] = [];
  if (req.cpu > 0) limits.push(Math.floor(instance.remaining.cpu / req.cpu));
  if (req.memory > 0) limits.push(Math.floor(instance.remaining.memory / req.memory));
  if (req.gpus > 0) limits.push(Math.floor(instance.remaining.gpuIds.length / req.gpus));
  if (req.awsvpc) limits.push(instance.remaining.enis);
  // A fixed host port can serve one task per instance.
  if (req.hostPorts.length > 0) limits.push(1);
  if (constraints.some((c) => c.type === "distinctInstance")) limits.push(1);
  for (const protocol of ["tcp", "udp"] as const) {
    const perTask = req.dynamicPorts.filter((p) => p === protocol).length;
    if (perTask === 0) continue;
    const free = freeDynamicPortCount(instance, protocol === "tcp" ? instance.remaining.ports : instance.remaining.portsUdp);
    limits.push(Math.floor(free / perTask));
  }
  return limits.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...limits);
}

export interface SchedulableReport {
  instances: { arn: string; ec2InstanceId: string; schedulable: number }[];
  total: number;
}

/** The schedulable count instance by instance, and the cluster's total. */
export function schedulableReport(
  instances: readonly CandidateInstance[],
  req: TaskRequirements,
  constraints: readonly PlacementConstraint[] = [],
): SchedulableReport {
  const compiled = compileConstraints(constraints);
  const rows = instances.map((i) => ({ arn: i.arn, ec2InstanceId: i.ec2InstanceId, schedulable: countFor(i, req, compiled) }));
  return { instances: rows, total: rows.reduce((sum, r) => sum + r.schedulable, 0) };
}
