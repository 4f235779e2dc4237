import type { ServiceRecord, Store, TaskRecord } from "../../state/store.js";
import { internalOf } from "./internal.js";

/** Task states that hold a place under maximumPercent (everything until the containers are gone). */
export const OCCUPYING = new Set(["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING"]);

/** Every task of the service: group `service:<name>` in its cluster, started by one of its deployments or task sets. */
export function ownedTasks(store: Store, record: ServiceRecord): TaskRecord[] {
  const internal = internalOf(record);
  const ids = new Set<string>([
    ...internal.deployments.map((d) => d.id),
    ...internal.retired.map((d) => d.id),
    ...internal.taskSets.map((t) => t.id),
  ]);
  const out: TaskRecord[] = [];
  const state = store.region(internal.scope.account, internal.scope.region);
  for (const r of state.serviceTasks(record.clusterName, record.service.serviceName!)) {
    // A task orphaned by a forced deregistration runs on, but ECS no longer counts it for the service.
    if (ids.has(r.task.startedBy ?? "") && !r.orphaned) out.push(r);
  }
  return out;
}

/** The tasks a deployment or task set started. */
export function startedBy(tasks: TaskRecord[], ownerId: string): TaskRecord[] {
  return tasks.filter((r) => r.task.startedBy === ownerId);
}

/** Meant to run and not gone yet: what a deployment or task set counts toward its desired count. */
export function isLive(r: TaskRecord): boolean {
  return r.task.desiredStatus === "RUNNING" && r.task.lastStatus !== "STOPPED";
}

export function startedAtOf(r: TaskRecord): number {
  return r.task.startedAt?.getTime() ?? r.task.createdAt?.getTime() ?? 0;
}

/** Tasks that are not healthy go first, then the most recently started. */
export function byScaleInOrder(healthy: (r: TaskRecord) => boolean): (a: TaskRecord, b: TaskRecord) => number {
  return (a, b) => Number(healthy(a)) - Number(healthy(b)) || startedAtOf(b) - startedAtOf(a);
}

/** Scale-in candidates in scale-in order; scale-in-protected tasks are never candidates. */
export function pickForScaleIn(
  tasks: TaskRecord[],
  healthy: (r: TaskRecord) => boolean,
  count: number,
  isProtected: (r: TaskRecord) => boolean,
): TaskRecord[] {
  return tasks
    .filter((r) => !isProtected(r))
    .sort(byScaleInOrder(healthy))
    .slice(0, Math.max(0, count));
}
