import { instanceUsage, registeredInt, registeredSet } from "../../domain/container-instances/views.js";
import type { ContainerInstanceRecord, RegionState } from "../../state/store.js";
import type { CandidateInstance } from "../ec2-placement/types.js";

/** The instance as placement sees it (see scheduler/ec2-placement/types.ts). */
export function candidateView(state: RegionState, record: ContainerInstanceRecord): CandidateInstance {
  const usage = instanceUsage(state, record);
  const i = record.instance;
  const attributes: Record<string, string | null> = {};
  for (const a of i.attributes ?? []) attributes[a.name!] = a.value ?? null;
  return {
    arn: i.containerInstanceArn!,
    ec2InstanceId: i.ec2InstanceId!,
    status: i.status as CandidateInstance["status"],
    agentConnected: !!i.agentConnected,
    agentVersion: i.versionInfo?.agentVersion,
    registeredAt: i.registeredAt?.getTime(),
    attributes,
    remaining: {
      cpu: registeredInt(record, "CPU") - usage.cpu,
      memory: registeredInt(record, "MEMORY") - usage.memory,
      ports: [...registeredSet(record, "PORTS").map(Number), ...usage.ports],
      portsUdp: [...registeredSet(record, "PORTS_UDP").map(Number), ...usage.portsUdp],
      dynamicPorts: usage.dynamicPorts,
      dynamicPortsUdp: usage.dynamicPortsUdp,
      enis: record.maxTaskEnis - usage.enis,
      gpuIds: registeredSet(record, "GPU").filter((id) => !usage.gpuIds.includes(id)),
    },
    tasks: usage.groups.map((group) => ({ group })),
    runningTasksCount: usage.running,
    dynamicPortRange: record.dynamicPortRange,
  };
}
