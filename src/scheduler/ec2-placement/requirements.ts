import type { ContainerDefinition, TaskDefinition, TaskOverride } from "@aws-sdk/client-ecs";
import type { HostPortRequirement, TaskRequirements } from "./types.js";

function int(value: string | number | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = typeof value === "number" ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * What placement reserves for a container: the soft limit when there is one (AWS subtracts
 * memoryReservation from the instance), else the hard limit.
 */
function containerMemory(c: ContainerDefinition): number {
  return c.memoryReservation ?? c.memory ?? 0;
}

function gpuCount(c: ContainerDefinition): number {
  return (c.resourceRequirements ?? []).filter((r) => r.type === "GPU").reduce((sum, r) => sum + (int(r.value) ?? 0), 0);
}

function ports(def: TaskDefinition): { fixed: HostPortRequirement[]; dynamic: ("tcp" | "udp")[] } {
  const fixed: HostPortRequirement[] = [];
  const dynamic: ("tcp" | "udp")[] = [];
  const mode = def.networkMode ?? "bridge";
  if (mode === "awsvpc" || mode === "none") return { fixed, dynamic };
  for (const c of def.containerDefinitions ?? []) {
    for (const m of c.portMappings ?? []) {
      const protocol = m.protocol === "udp" ? "udp" : "tcp";
      // In host mode the container port is the host port; in bridge mode hostPort 0 or absent is dynamic.
      const hostPort = mode === "host" ? (m.hostPort ?? m.containerPort) : m.hostPort;
      if (hostPort) fixed.push({ port: hostPort, protocol });
      else if (m.containerPortRange === undefined) dynamic.push(protocol);
    }
  }
  return { fixed, dynamic };
}

/**
 * A task's needs from its definition and overrides: task-level cpu/memory when set, else the
 * sum over containers; host ports by network mode; one interface for awsvpc; GPUs; and the
 * attributes the definition requires.
 */
export function taskRequirements(def: TaskDefinition, overrides: TaskOverride = {}, group?: string): TaskRequirements {
  const containers = (def.containerDefinitions ?? []).map((c) => {
    const o = overrides.containerOverrides?.find((x) => x.name === c.name);
    return o ? { ...c, cpu: o.cpu ?? c.cpu, memory: o.memory ?? c.memory, memoryReservation: o.memoryReservation ?? c.memoryReservation } : c;
  });
  const cpu = int(overrides.cpu) ?? int(def.cpu) ?? containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
  const memory = int(overrides.memory) ?? int(def.memory) ?? containers.reduce((sum, c) => sum + containerMemory(c), 0);
  const { fixed, dynamic } = ports(def);
  return {
    cpu,
    memory,
    gpus: containers.reduce((sum, c) => sum + gpuCount(c), 0),
    hostPorts: fixed,
    dynamicPorts: dynamic,
    awsvpc: def.networkMode === "awsvpc",
    requiredAttributes: (def.requiresAttributes ?? []).map((a) => ({ name: a.name!, value: a.value })),
    group,
  };
}
