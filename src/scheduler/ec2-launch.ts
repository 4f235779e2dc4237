import type { PlacementConstraint, PlacementStrategy, TaskDefinition, TaskOverride } from "@aws-sdk/client-ecs";
import type { TaskPlacementRecord } from "../state/store.js";
import { hasNoContainerInstances, placeTasks, taskRequirements } from "./ec2-placement/index.js";
import type { CandidateInstance, Placement, PlacementFailure, TaskRequirements } from "./ec2-placement/types.js";

/** One task's place on a container instance, ready for the task factory and the runtime. */
export interface Ec2Slot {
  containerInstanceArn: string;
  ec2InstanceId: string;
  availabilityZone?: string;
  record: TaskPlacementRecord;
  /** Host port per port mapping, by container name (0 where the mode has none). */
  hostPorts: Record<string, number[]>;
}

export interface Ec2Plan {
  slots: Ec2Slot[];
  /** One entry per instance that could not take the first task left unplaced (RunTask's failures). */
  failures: PlacementFailure[];
  unplaced: number;
  /** No ACTIVE instance at all: RunTask answers with an exception, services log their event. */
  noInstances: boolean;
  /** The instance that came closest, for the service's unable-to-place event. */
  closest?: PlacementFailure;
}

export interface Ec2PlanInput {
  definition: TaskDefinition;
  overrides?: TaskOverride;
  group: string;
  count: number;
  strategies?: readonly PlacementStrategy[];
  constraints?: readonly PlacementConstraint[];
  random: () => number;
}

/**
 * Places `count` tasks on the given instances with the request's strategies and constraints (the
 * task definition's constraints included), and says where each one goes. Invalid strategies or
 * expressions throw InvalidParameterException before anything is placed.
 */
export function planEc2Launch(candidates: readonly CandidateInstance[], input: Ec2PlanInput): Ec2Plan {
  const requirements = taskRequirements(input.definition, input.overrides ?? {}, input.group);
  const constraints = [...(input.constraints ?? []), ...((input.definition.placementConstraints ?? []) as PlacementConstraint[])];
  const result = placeTasks(candidates, {
    requirements,
    count: input.count,
    strategies: input.strategies,
    constraints,
    random: input.random,
  });
  const zoneOf = new Map(candidates.map((c) => [c.arn, c.attributes["ecs.availability-zone"] ?? undefined]));
  return {
    slots: result.placements.map((p) => ({
      containerInstanceArn: p.instanceArn,
      ec2InstanceId: p.ec2InstanceId,
      ...(zoneOf.get(p.instanceArn) ? { availabilityZone: zoneOf.get(p.instanceArn)! } : {}),
      record: placementRecord(requirements, p),
      hostPorts: hostPortsByContainer(input.definition, p),
    })),
    failures: result.failures,
    unplaced: result.unplaced,
    noInstances: hasNoContainerInstances(candidates),
    ...(result.closest ? { closest: result.closest } : {}),
  };
}

function placementRecord(req: TaskRequirements, p: Placement): TaskPlacementRecord {
  const dynamic = p.hostPorts.slice(req.hostPorts.length);
  const of = (list: typeof p.hostPorts, protocol: "tcp" | "udp") => list.filter((x) => x.protocol === protocol).map((x) => x.port);
  return {
    cpu: req.cpu,
    memory: req.memory,
    ports: of(p.hostPorts, "tcp"),
    portsUdp: of(p.hostPorts, "udp"),
    dynamicPorts: of(dynamic, "tcp"),
    dynamicPortsUdp: of(dynamic, "udp"),
    eni: req.awsvpc,
    gpuIds: p.gpuIds,
  };
}

/**
 * Maps placement's host ports back to the port mappings they serve. Placement lists the fixed
 * ports first (mapping order), then the dynamic TCP ports, then the dynamic UDP ports, each in
 * mapping order, the same walk taskRequirements makes.
 */
function hostPortsByContainer(def: TaskDefinition, p: Placement): Record<string, number[]> {
  const mode = def.networkMode ?? "bridge";
  const out: Record<string, number[]> = {};
  if (mode === "awsvpc" || mode === "none") return out;
  const fixedCount = countFixed(def);
  const fixed = p.hostPorts.slice(0, fixedCount);
  const dynamic = p.hostPorts.slice(fixedCount);
  const dynTcp = dynamic.filter((x) => x.protocol === "tcp");
  const dynUdp = dynamic.filter((x) => x.protocol === "udp");
  let f = 0;
  let t = 0;
  let u = 0;
  for (const c of def.containerDefinitions ?? []) {
    out[c.name!] = (c.portMappings ?? []).map((m) => {
      const hostPort = mode === "host" ? (m.hostPort ?? m.containerPort) : m.hostPort;
      if (hostPort) return fixed[f++]?.port ?? hostPort;
      if (m.containerPortRange !== undefined) return 0;
      return (m.protocol === "udp" ? dynUdp[u++] : dynTcp[t++])?.port ?? 0;
    });
  }
  return out;
}

function countFixed(def: TaskDefinition): number {
  const mode = def.networkMode ?? "bridge";
  let n = 0;
  for (const c of def.containerDefinitions ?? []) {
    for (const m of c.portMappings ?? []) if (mode === "host" ? (m.hostPort ?? m.containerPort) : m.hostPort) n++;
  }
  return n;
}
