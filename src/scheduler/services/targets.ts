import type { LoadBalancer } from "@aws-sdk/client-ecs";
import { Messages } from "../../errors/messages.js";
import { LocalLoadBalancers, type FrontDoorTarget } from "../../loadbalancer/front-door.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import { internalOf } from "./internal.js";
import type { ServiceEvents } from "./service-events.js";

export type Targets = ReturnType<typeof createTargets>;

/**
 * A service's tasks behind its target groups: registration (tracked even without front doors, for
 * the events) and the local front doors that forward to the registered tasks.
 */
export function createTargets(deps: { events: ServiceEvents; loadBalancers?: LocalLoadBalancers; runtimeKind: string }) {
  const { events, loadBalancers: doors } = deps;

  /** Registers RUNNING tasks in the service's target groups and deregisters leaving ones. */
  function syncTargets(record: ServiceRecord, tasks: TaskRecord[]): void {
    const internal = internalOf(record);
    const s = record.service;
    const lbs = (s.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
    if (lbs.length === 0 && internal.registered.size === 0) return;
    const primaryTaskSet = internal.taskSets.find((t) => t.status === "PRIMARY")?.id;
    const serving = tasks.filter(
      (r) =>
        r.task.desiredStatus === "RUNNING" &&
        r.task.lastStatus === "RUNNING" &&
        r.task.healthStatus !== "UNHEALTHY" &&
        (internal.controller === "ECS" || r.task.startedBy === primaryTaskSet) &&
        s.status === "ACTIVE",
    );
    const name = s.serviceName!;
    const groups = new Set([...lbs.map((lb) => lb.targetGroupArn!), ...internal.registered.keys()]);
    for (const tg of groups) {
      const lb = lbs.find((x) => x.targetGroupArn === tg);
      const wanted = lb ? serving : [];
      const current = internal.registered.get(tg) ?? new Set<string>();
      const wantedArns = new Set(wanted.map((r) => r.task.taskArn!));
      const added = [...wantedArns].filter((a) => !current.has(a));
      const removed = [...current].filter((a) => !wantedArns.has(a));
      if (removed.length) {
        events.event(record, Messages.svcDrainingConnections(name, removed.length));
        events.event(record, Messages.svcDeregisteredTargets(name, removed.length, tg));
      }
      if (added.length) events.event(record, Messages.svcRegisteredTargets(name, added.length, tg));
      if (wantedArns.size) internal.registered.set(tg, wantedArns);
      else internal.registered.delete(tg);
      if (!doors || !lb) continue;
      openDoors(record);
      doors.setTargets(LocalLoadBalancers.key(s.serviceArn!, tg), wanted.map((r) => frontDoorTarget(r, lb)));
    }
  }

  /** Opens a front door per target group as soon as the service has one, so its port is known at once. */
  function openDoors(record: ServiceRecord): void {
    const s = record.service;
    if (!doors || s.status !== "ACTIVE") return;
    for (const lb of s.loadBalancers ?? []) {
      if (!lb.targetGroupArn) continue;
      const key = LocalLoadBalancers.key(s.serviceArn!, lb.targetGroupArn);
      if (doors.has(key)) continue;
      doors.open(key, {
        serviceArn: s.serviceArn!,
        serviceName: s.serviceName!,
        targetGroupArn: lb.targetGroupArn,
        containerName: lb.containerName ?? "",
        containerPort: lb.containerPort ?? 0,
      });
    }
  }

  function closeDoors(record: ServiceRecord): void {
    doors?.closeService(record.service.serviceArn!);
  }

  /** Simulated tasks have no address; real containers are reached through their published host port. */
  function frontDoorTarget(r: TaskRecord, lb: LoadBalancer): FrontDoorTarget {
    const base = { taskArn: r.task.taskArn!, taskDefinitionArn: r.task.taskDefinitionArn! };
    if (deps.runtimeKind === "simulated") return base;
    const binding = r.hostBindings?.[lb.containerName ?? ""]?.find((b) => b.containerPort === lb.containerPort);
    if (!binding?.hostPort) return base;
    const ip = binding.bindIP;
    const host = !ip || ip === "0.0.0.0" || ip === "::" ? "127.0.0.1" : ip;
    return { ...base, host, port: binding.hostPort };
  }

  return { syncTargets, openDoors, closeDoors };
}
