/**
 * ECS managed scaling (cluster auto scaling) as AWS documents it, as pure functions. The
 * simulator's reading of the documentation is in docs/capacity-providers.md.
 */

export interface TaskNeed {
  cpu: number;
  memory: number;
}

export interface InstanceCapacity {
  cpu: number;
  memory: number;
}

export interface ScalingSettings {
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
}

/**
 * Instances needed to run the PROVISIONING tasks: tasks are grouped by identical requirements,
 * each group is bin-packed onto empty instances of the group's type, and the largest group count
 * is the estimate (a lower bound, as AWS says: it scales again if tasks still wait). Tasks that
 * fit no instance of the type count for nothing: no instance would ever run them.
 */
export function instancesNeeded(tasks: readonly TaskNeed[], capacity: InstanceCapacity): number {
  const groups = new Map<string, { need: TaskNeed; count: number }>();
  for (const t of tasks) {
    const key = `${t.cpu}/${t.memory}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { need: t, count: 1 });
  }
  let needed = 0;
  for (const { need, count } of groups.values()) {
    const perInstance = tasksPerInstance(need, capacity);
    if (perInstance > 0) needed = Math.max(needed, Math.ceil(count / perInstance));
  }
  return needed;
}

/** How many tasks of this size fit on one empty instance. */
export function tasksPerInstance(need: TaskNeed, capacity: InstanceCapacity): number {
  const byCpu = need.cpu > 0 ? Math.floor(capacity.cpu / need.cpu) : Infinity;
  const byMemory = need.memory > 0 ? Math.floor(capacity.memory / need.memory) : Infinity;
  const n = Math.min(byCpu, byMemory);
  return n === Infinity ? 0 : n;
}

/** The scale-out step: at least minimumScalingStepSize, at most maximumScalingStepSize, 0 when nothing waits. */
export function scaleOutStep(needed: number, s: Pick<ScalingSettings, "minimumScalingStepSize" | "maximumScalingStepSize">): number {
  if (needed <= 0) return 0;
  return Math.min(s.maximumScalingStepSize, Math.max(s.minimumScalingStepSize, needed));
}

/**
 * CapacityProviderReservation = M / N x 100, with AWS's two special cases: 100 when M and N are
 * both 0 (nothing to do), 200 when instances are needed and none run (scale out from zero).
 */
export function capacityProviderReservation(m: number, n: number): number {
  if (m === 0 && n === 0) return 100;
  if (n === 0) return 200;
  return (m / n) * 100;
}

/**
 * Target tracking toward targetCapacity: the group size N' for which M / N' x 100 meets the
 * target, rounded up (target tracking never under-provisions).
 */
export function targetGroupSize(m: number, targetCapacity: number): number {
  if (m <= 0) return 0;
  return Math.ceil((m * 100) / targetCapacity - 1e-9);
}

export interface InstanceLoad {
  id: string;
  /** Non-daemon tasks not yet stopped on it. */
  nonDaemonTasks: number;
  /** Launched less than instanceWarmupPeriod ago, or not yet registered: it counts as coming capacity. */
  warmingUp: boolean;
}

export interface ScalingEvaluation {
  /** Instances in the group (running or launching). */
  n: number;
  /** Instances needed for running and provisioning tasks. */
  m: number;
  metric: number;
  /** The group size target tracking asks for (before the group's min/max). */
  desired: number;
  /** Idle instances, past warm-up: what a scale-in may remove. */
  idle: string[];
  /** Instances that must keep scale-in protection (they run tasks, or are warming up). */
  busy: string[];
}

/**
 * One evaluation of a provider: M counts instances running non-daemon tasks or warming up, plus
 * the scale-out step for PROVISIONING tasks beyond what warming instances will take.
 */
export function evaluate(instances: readonly InstanceLoad[], provisioning: readonly TaskNeed[], capacity: InstanceCapacity, s: ScalingSettings): ScalingEvaluation {
  const idle = instances.filter((i) => i.nonDaemonTasks === 0 && !i.warmingUp).map((i) => i.id);
  const busy = instances.filter((i) => i.nonDaemonTasks > 0 || i.warmingUp).map((i) => i.id);
  const warmingEmpty = instances.filter((i) => i.warmingUp && i.nonDaemonTasks === 0).length;
  const n = instances.length;
  const extra = scaleOutStep(Math.max(0, instancesNeeded(provisioning, capacity) - warmingEmpty), s);
  const m = extra > 0 ? n + extra : busy.length;
  const metric = capacityProviderReservation(m, n);
  return { n, m, metric, desired: targetGroupSize(m, s.targetCapacity), idle, busy };
}
