import type { Clock, TimerHandle } from "../../core/clock.js";
import type { DomainEvents } from "../../core/events.js";
import type { Logger } from "../../core/logger.js";
import type { Scope } from "../../domain/scope.js";
import { Arn } from "../../state/arn.js";
import type { ServiceRecord } from "../../state/store.js";

export type ReconcileLoop = ReturnType<typeof createReconcileLoop>;

/**
 * When reconcile passes run: right after anything changes (a task transition, an API call) and
 * every `intervalMs` for every live service. Kicks within one turn of the clock coalesce into a
 * single pass per service. A service stops being live once it is INACTIVE or gone.
 *
 * A service whose last pass found it steady, and that nothing has kicked since, has nothing
 * time-driven left to do: the periodic tick visits it only every `quietEvery` ticks (a backstop),
 * so idle cost does not grow with the number of settled services.
 */
export function createReconcileLoop(deps: {
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  load: (scope: Scope, arn: string) => ServiceRecord | undefined;
  reconcile: (record: ServiceRecord) => void;
  /** Whether the pass just run left the service steady. */
  isQuiet?: (record: ServiceRecord) => boolean;
  quietEvery?: number;
}) {
  const { clock } = deps;
  const quietEvery = deps.quietEvery ?? 8;
  const live = new Map<string, Scope>();
  const dirty = new Set<string>();
  const urgent = new Set<string>();
  const quiet = new Set<string>();
  let ticks = 0;
  let kickTimer: TimerHandle | undefined;
  let tickTimer: TimerHandle | undefined;

  function track(arn: string, scope: Scope): void {
    live.set(arn, scope);
    kick(arn);
    ensureTick();
  }

  /** `first`: reconciled before the other services of the same turn (daemons on a new instance). */
  function kick(arn: string, first = false): void {
    quiet.delete(arn);
    if (first) urgent.add(arn);
    dirty.add(arn);
    if (kickTimer) return;
    kickTimer = clock.setTimeout(() => {
      kickTimer = undefined;
      flush();
    }, 0);
  }

  function ensureTick(): void {
    if (tickTimer || live.size === 0) return;
    tickTimer = clock.setTimeout(() => {
      tickTimer = undefined;
      tick();
      ensureTick();
    }, deps.intervalMs);
  }

  function reconcileAll(): void {
    for (const arn of live.keys()) dirty.add(arn);
    flush();
  }

  function tick(): void {
    const everyone = ++ticks % quietEvery === 0;
    for (const arn of live.keys()) if (everyone || !quiet.has(arn)) dirty.add(arn);
    flush();
  }

  function flush(): void {
    const arns = [...urgent, ...[...dirty].filter((arn) => !urgent.has(arn))];
    dirty.clear();
    urgent.clear();
    for (const arn of arns) {
      const scope = live.get(arn);
      if (!scope) continue;
      const record = deps.load(scope, arn);
      if (!record) {
        live.delete(arn);
        quiet.delete(arn);
        continue;
      }
      // One service's bug must not stall the others.
      try {
        deps.reconcile(record);
      } catch (err) {
        deps.logger.error(`service ${record.service.serviceName} reconcile failed`, { error: String((err as Error)?.stack ?? err) });
      }
      if (deps.isQuiet?.(record)) quiet.add(arn);
      else quiet.delete(arn);
      if (record.service.status === "INACTIVE") {
        live.delete(arn);
        quiet.delete(arn);
      }
    }
  }

  /** Task transitions of a live service's tasks (group `service:<name>`) trigger a pass. */
  function onTaskChanged(p: DomainEvents["task.changed"]): void {
    const group = p.task.group;
    if (!group?.startsWith("service:") || !p.task.clusterArn) return;
    const clusterName = p.task.clusterArn.slice(p.task.clusterArn.indexOf(":cluster/") + 9);
    const arn = Arn.service({ account: p.account, region: p.region }, clusterName, group.slice(8));
    if (live.has(arn)) kick(arn);
  }

  /** Cancels every timer and forgets every service. */
  function dispose(): void {
    clock.clearTimeout(kickTimer);
    clock.clearTimeout(tickTimer);
    kickTimer = undefined;
    tickTimer = undefined;
    live.clear();
    dirty.clear();
    urgent.clear();
    quiet.clear();
  }

  function isLive(arn: string): boolean {
    return live.has(arn);
  }

  return { track, kick, reconcileAll, onTaskChanged, dispose, isLive };
}
