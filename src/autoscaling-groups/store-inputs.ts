import type { Task } from "@aws-sdk/client-ecs";
import { isFargateProvider } from "../domain/capacity-providers.js";
import type { Scope } from "../domain/scope.js";
import type { AutoScalingProviders } from "../scheduler/capacity.js";
import { Arn } from "../state/arn.js";
import { familyOfDefinitionArn, TaskIndex, type RegionState, type Store } from "../state/store.js";
import type { ManagedScalingInputs } from "./managed-scaling.js";
import type { TaskNeed } from "./managed-scaling-math.js";

/**
 * Managed scaling's inputs read from the store: tasks in PROVISIONING that name the provider and
 * are on no instance yet, and per instance its registration and its tasks not yet STOPPED that
 * no DAEMON service owns.
 */
export function storeScalingInputs(store: Store): ManagedScalingInputs {
  return {
    provisioningTasks(scope: Scope, clusterName: string, capacityProviderName: string): TaskNeed[] {
      const state = store.region(scope.account, scope.region);
      const out: TaskNeed[] = [];
      for (const r of state.tasks.members(TaskIndex.last(clusterName, "PROVISIONING"))) {
        if (r.task.capacityProviderName !== capacityProviderName || r.task.containerInstanceArn) continue;
        out.push(taskNeed(state, r.task));
      }
      return out;
    },
    instanceLoad(scope: Scope, ec2InstanceId: string) {
      const state = store.region(scope.account, scope.region);
      let record;
      for (const r of state.containerInstances.values()) {
        if (r.instance.ec2InstanceId === ec2InstanceId && r.instance.status !== "INACTIVE") record = r;
      }
      if (!record) return { registered: false, nonDaemonTasks: 0 };
      let nonDaemonTasks = 0;
      for (const t of state.instanceTasks(record.instance.containerInstanceArn!)) {
        if (t.task.lastStatus === "STOPPED") continue;
        const service = t.serviceName ? state.services.get(Arn.service(scope, t.clusterName, t.serviceName)) : undefined;
        if (service?.service.schedulingStrategy === "DAEMON") continue;
        nonDaemonTasks++;
      }
      return { registered: true, nonDaemonTasks };
    },
  };
}

/** What a task reserves: task-level cpu and memory, else the sum over its definition's containers. */
function taskNeed(state: RegionState, task: Task): TaskNeed {
  let cpu = Number(task.cpu ?? 0) || 0;
  let memory = Number(task.memory ?? 0) || 0;
  if (cpu && memory) return { cpu, memory };
  const arn = task.taskDefinitionArn ?? "";
  const revision = Number(arn.slice(arn.lastIndexOf(":") + 1));
  const def = state.families.get(familyOfDefinitionArn(arn))?.revisions.get(revision)?.definition;
  let containerCpu = 0;
  let containerMemory = 0;
  for (const c of def?.containerDefinitions ?? []) {
    containerCpu += c.cpu ?? 0;
    containerMemory += c.memory ?? c.memoryReservation ?? 0;
  }
  cpu ||= containerCpu;
  memory ||= containerMemory;
  return { cpu, memory };
}

/**
 * What the task scheduler asks of capacity providers, read from the store: every provider but
 * FARGATE and FARGATE_SPOT is an Auto Scaling group provider, and tasks wait for capacity only
 * where managed scaling is ENABLED (elsewhere they fail at once, as on AWS).
 */
export function storeAutoScalingProviders(store: Store): AutoScalingProviders {
  return {
    isAutoScaling: (_scope, name) => !isFargateProvider(name),
    waitsForCapacity: (scope, name) => {
      const p = store.region(scope.account, scope.region).capacityProviders.get(name)?.provider;
      return p?.status === "ACTIVE" && p.autoScalingGroupProvider?.managedScaling?.status === "ENABLED";
    },
  };
}
