import { checkFit, freeDynamicPorts, type CompiledConstraint, type FitResult } from "./fit.js";
import { StrategyRanker } from "./strategies.js";
import { compileConstraints, compileStrategies } from "./validate.js";
import type {
  CandidateInstance,
  HostPortRequirement,
  Placement,
  PlacementFailure,
  PlacementRequest,
  PlacementResult,
  TaskRequirements,
} from "./types.js";

function copyInstance(i: CandidateInstance): CandidateInstance {
  return {
    ...i,
    attributes: { ...i.attributes },
    remaining: {
      ...i.remaining,
      ports: [...i.remaining.ports],
      portsUdp: [...i.remaining.portsUdp],
      dynamicPorts: [...(i.remaining.dynamicPorts ?? [])],
      dynamicPortsUdp: [...(i.remaining.dynamicPortsUdp ?? [])],
      gpuIds: [...i.remaining.gpuIds],
    },
    tasks: [...i.tasks],
    runningTasksCount: i.runningTasksCount ?? i.tasks.length,
  };
}

/** The host ports a task gets on an instance: its fixed ports, then the lowest free dynamic ones. */
function assignPorts(instance: CandidateInstance, req: TaskRequirements): HostPortRequirement[] {
  const assigned: HostPortRequirement[] = [...req.hostPorts];
  for (const protocol of ["tcp", "udp"] as const) {
    const wanted = req.dynamicPorts.filter((p) => p === protocol).length;
    if (wanted === 0) continue;
    const used = new Set(protocol === "tcp" ? instance.remaining.ports : instance.remaining.portsUdp);
    for (const p of req.hostPorts) if (p.protocol === protocol) used.add(p.port);
    for (const port of freeDynamicPorts(instance, used, wanted)) assigned.push({ port, protocol });
  }
  return assigned;
}

/** The instance after the task is placed on it: resources taken, the task counted in its group. */
function consume(instance: CandidateInstance, req: TaskRequirements, ports: HostPortRequirement[], gpuIds: string[]): CandidateInstance {
  const of = (list: HostPortRequirement[], protocol: "tcp" | "udp") => list.filter((p) => p.protocol === protocol).map((p) => p.port);
  // assignPorts lists the fixed ports first, then the dynamic ones.
  const dynamic = ports.slice(req.hostPorts.length);
  return {
    ...instance,
    remaining: {
      cpu: instance.remaining.cpu - req.cpu,
      memory: instance.remaining.memory - req.memory,
      ports: [...instance.remaining.ports, ...of(ports, "tcp")],
      portsUdp: [...instance.remaining.portsUdp, ...of(ports, "udp")],
      dynamicPorts: [...(instance.remaining.dynamicPorts ?? []), ...of(dynamic, "tcp")],
      dynamicPortsUdp: [...(instance.remaining.dynamicPortsUdp ?? []), ...of(dynamic, "udp")],
      enis: instance.remaining.enis - (req.awsvpc ? 1 : 0),
      gpuIds: instance.remaining.gpuIds.filter((id) => !gpuIds.includes(id)),
    },
    tasks: [...instance.tasks, { group: req.group }],
  };
}

function failuresFor(
  instances: readonly CandidateInstance[],
  req: TaskRequirements,
  constraints: readonly CompiledConstraint[],
): { failures: PlacementFailure[]; closest?: PlacementFailure } {
  const failures: PlacementFailure[] = [];
  let closest: { failure: PlacementFailure; progress: number } | undefined;
  for (const instance of instances) {
    const fit = checkFit(instance, req, constraints);
    if (fit.kind !== "fails") continue;
    const failure = { arn: instance.arn, reason: fit.reason };
    failures.push(failure);
    if (!closest || fit.progress > closest.progress) closest = { failure, progress: fit.progress };
  }
  return { failures, closest: closest?.failure };
}

/**
 * Places `count` tasks one after another, as the scheduler does: each task sees the resources
 * the ones before it took. Validation errors (too many strategies, a bad expression) throw
 * InvalidParameterException before anything is placed.
 */
export function placeTasks(instances: readonly CandidateInstance[], request: PlacementRequest): PlacementResult {
  const rules = compileStrategies(request.strategies);
  const constraints = compileConstraints(request.constraints);
  const req = request.requirements;
  let working = instances.map(copyInstance);
  const ranker = new StrategyRanker(rules, working, req, request.random);
  // An instance's fit depends on that instance alone, so only the one that took a task is checked again.
  const fits = new Map<CandidateInstance, FitResult>();
  const fitOf = (i: CandidateInstance): FitResult => {
    let fit = fits.get(i);
    if (!fit) fits.set(i, (fit = checkFit(i, req, constraints)));
    return fit;
  };
  const placements: Placement[] = [];

  for (let n = 0; n < request.count; n++) {
    const eligible = working.filter((i) => fitOf(i).kind === "fits");
    if (eligible.length === 0) {
      const { failures, closest } = failuresFor(working, req, constraints);
      return { placements, failures, closest, unplaced: request.count - n, instances: working };
    }
    const chosen = ranker.best(eligible);
    const hostPorts = assignPorts(chosen, req);
    const gpuIds = chosen.remaining.gpuIds.slice(0, req.gpus);
    placements.push({ instanceArn: chosen.arn, ec2InstanceId: chosen.ec2InstanceId, hostPorts, gpuIds: [...gpuIds] });
    const updated = consume(chosen, req, hostPorts, [...gpuIds]);
    ranker.placed(chosen);
    working = working.map((i) => (i === chosen ? updated : i));
  }
  return { placements, failures: [], unplaced: 0, instances: working };
}

/** True when the cluster has no instance that could ever take a task (AWS's "No Container Instances"). */
export function hasNoContainerInstances(instances: readonly CandidateInstance[]): boolean {
  return !instances.some((i) => i.status === "ACTIVE");
}
