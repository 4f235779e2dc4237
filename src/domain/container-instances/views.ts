import type { ContainerInstance, Resource } from "@aws-sdk/client-ecs";
import type { ContainerInstanceRecord, RegionState, TaskPlacementRecord, TaskRecord } from "../../state/store.js";

const PENDING = new Set(["PROVISIONING", "PENDING", "ACTIVATING"]);

/**
 * What the tasks on an instance hold right now, summed over their placements: every task not yet
 * STOPPED keeps its resources.
 */
export interface InstanceUsage extends Omit<TaskPlacementRecord, "eni"> {
  /** Network interfaces taken by awsvpc tasks. */
  enis: number;
  running: number;
  pending: number;
  /** Groups of the tasks that still count for spread, distinctInstance and task:group. */
  groups: (string | undefined)[];
  active: TaskRecord[];
}

export function instanceUsage(state: RegionState, record: ContainerInstanceRecord): InstanceUsage {
  const usage: InstanceUsage = {
    cpu: 0,
    memory: 0,
    ports: [],
    portsUdp: [],
    dynamicPorts: [],
    dynamicPortsUdp: [],
    enis: 0,
    gpuIds: [],
    running: 0,
    pending: 0,
    groups: [],
    active: [],
  };
  for (const t of state.instanceTasks(record.instance.containerInstanceArn!)) {
    if (t.task.lastStatus === "STOPPED" || t.orphaned) continue;
    usage.active.push(t);
    if (t.task.lastStatus === "RUNNING") usage.running++;
    else if (PENDING.has(t.task.lastStatus ?? "")) usage.pending++;
    usage.groups.push(t.task.group);
    const p = t.placement;
    if (!p) continue;
    usage.cpu += p.cpu;
    usage.memory += p.memory;
    usage.ports.push(...p.ports);
    usage.portsUdp.push(...p.portsUdp);
    usage.dynamicPorts.push(...p.dynamicPorts);
    usage.dynamicPortsUdp.push(...p.dynamicPortsUdp);
    if (p.eni) usage.enis++;
    usage.gpuIds.push(...p.gpuIds);
  }
  return usage;
}

function resource(list: Resource[] | undefined, name: string): Resource | undefined {
  return list?.find((r) => r.name === name);
}

export function registeredInt(record: ContainerInstanceRecord, name: string): number {
  return resource(record.instance.registeredResources, name)?.integerValue ?? 0;
}

export function registeredSet(record: ContainerInstanceRecord, name: string): string[] {
  return resource(record.instance.registeredResources, name)?.stringSetValue ?? [];
}

/** remainingResources as DescribeContainerInstances shows them: registered minus what tasks hold. */
export function remainingResources(record: ContainerInstanceRecord, usage: InstanceUsage): Resource[] {
  return (record.instance.registeredResources ?? []).map((r) => {
    switch (r.name) {
      case "CPU":
        return { ...r, integerValue: (r.integerValue ?? 0) - usage.cpu };
      case "MEMORY":
        return { ...r, integerValue: (r.integerValue ?? 0) - usage.memory };
      case "PORTS":
        return { ...r, stringSetValue: [...(r.stringSetValue ?? []), ...usage.ports.map(String)] };
      case "PORTS_UDP":
        return { ...r, stringSetValue: [...(r.stringSetValue ?? []), ...usage.portsUdp.map(String)] };
      case "GPU":
        return { ...r, stringSetValue: (r.stringSetValue ?? []).filter((id) => !usage.gpuIds.includes(id)) };
      default:
        return { ...r };
    }
  });
}

/** The instance as DescribeContainerInstances answers it. */
export function describeView(state: RegionState, record: ContainerInstanceRecord, tags: ContainerInstance["tags"]): ContainerInstance {
  const usage = instanceUsage(state, record);
  const i = record.instance;
  return {
    containerInstanceArn: i.containerInstanceArn,
    ec2InstanceId: i.ec2InstanceId,
    ...(i.capacityProviderName ? { capacityProviderName: i.capacityProviderName } : {}),
    version: i.version,
    versionInfo: i.versionInfo,
    remainingResources: remainingResources(record, usage),
    registeredResources: i.registeredResources,
    status: i.status,
    ...(i.statusReason ? { statusReason: i.statusReason } : {}),
    agentConnected: i.agentConnected,
    runningTasksCount: usage.running,
    pendingTasksCount: usage.pending,
    ...(i.agentUpdateStatus ? { agentUpdateStatus: i.agentUpdateStatus } : {}),
    attributes: i.attributes,
    registeredAt: i.registeredAt,
    attachments: i.attachments ?? [],
    tags: tags ?? [],
    ...(i.healthStatus ? { healthStatus: i.healthStatus } : {}),
  };
}
