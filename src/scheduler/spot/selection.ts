import { z } from "zod";
import type { SeededRandom } from "../../core/random.js";
import type { RegionState, TaskRecord } from "../../state/store.js";
import { nameFromArnOrName } from "../../state/arn.js";

/**
 * Which tasks an on-demand interruption hits (POST /_sim/spot/interruptions, Simulator.spot.interrupt).
 * Every given filter must match; none at all means every RUNNING FARGATE_SPOT task. `count` or
 * `fraction` then picks a seeded subset of the matches (a storm is just a large fraction).
 */
export const SpotSelectionSchema = z
  .object({
    /** Task ARNs or task ids. A named task that is not a running spot task is reported in `skipped`. */
    taskArns: z.array(z.string().min(1)).max(10_000).optional(),
    /** Cluster name or ARN. */
    cluster: z.string().min(1).optional(),
    /** Service name or ARN: tasks the service scheduler started for it. */
    service: z.string().min(1).optional(),
    /** Interrupt this many of the matching tasks (seeded choice); all of them when fewer match. */
    count: z.number().int().min(0).optional(),
    /** Interrupt this share of the matching tasks, rounded up (seeded choice). */
    fraction: z.number().min(0).max(1).optional(),
    /** Only tasks of this account / Region (default: every account and Region). */
    account: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => !(s.count !== undefined && s.fraction !== undefined), {
    message: "give either count or fraction, not both",
  });

export type SpotSelection = z.infer<typeof SpotSelectionSchema>;
export type SpotSelectionInput = z.input<typeof SpotSelectionSchema>;

export interface Candidate {
  state: RegionState;
  record: TaskRecord;
}

export interface Skipped {
  task: string;
  reason: string;
}

/** Whether the task is one a spot interruption can hit now. Returns why not, or undefined. */
export function notInterruptible(record: TaskRecord): string | undefined {
  const t = record.task;
  if (t.capacityProviderName !== "FARGATE_SPOT") {
    return `not a FARGATE_SPOT task (capacity provider ${t.capacityProviderName ?? "none, launch type " + (t.launchType ?? "FARGATE")})`;
  }
  if (t.desiredStatus === "STOPPED") return `already stopping (lastStatus ${t.lastStatus}, stopCode ${t.stopCode})`;
  if (t.lastStatus !== "RUNNING") return `not RUNNING (lastStatus ${t.lastStatus})`;
  return undefined;
}

/**
 * The matching interruptible tasks, in store order (creation order, which replays exactly), and
 * the explicitly named tasks that could not be matched, with the reason.
 */
export function matchSelection(regions: RegionState[], sel: SpotSelection): { matched: Candidate[]; skipped: Skipped[] } {
  const scoped = regions.filter((r) => (!sel.account || r.account === sel.account) && (!sel.region || r.region === sel.region));
  const cluster = sel.cluster ? nameFromArnOrName(sel.cluster) : undefined;
  const service = sel.service ? nameFromArnOrName(sel.service) : undefined;
  const named = sel.taskArns ? new Set(sel.taskArns) : undefined;
  const seen = new Set<string>();
  const matched: Candidate[] = [];
  const skipped: Skipped[] = [];
  for (const state of scoped) {
    for (const record of state.tasks.values()) {
      const arn = record.task.taskArn!;
      if (named) {
        const ref = named.has(arn) ? arn : named.has(taskIdOf(arn)) ? taskIdOf(arn) : undefined;
        if (ref === undefined) continue;
        seen.add(ref);
      }
      const why =
        cluster && record.clusterName !== cluster
          ? `in cluster ${record.clusterName}, not ${cluster}`
          : service && record.serviceName !== service
            ? record.serviceName
              ? `belongs to service ${record.serviceName}, not ${service}`
              : `not started by a service (wanted ${service})`
            : notInterruptible(record);
      if (why) {
        if (named) skipped.push({ task: arn, reason: why });
        continue;
      }
      matched.push({ state, record });
    }
  }
  for (const ref of named ?? []) if (!seen.has(ref)) skipped.push({ task: ref, reason: "not found" });
  return { matched, skipped };
}

/** How many of `n` matches to interrupt. */
export function selectionSize(sel: SpotSelection, n: number): number {
  if (sel.count !== undefined) return Math.min(sel.count, n);
  if (sel.fraction !== undefined) return Math.min(n, Math.ceil(sel.fraction * n - 1e-9));
  return n;
}

/** A seeded choice of `k` items that keeps their original order (so results read naturally). */
export function chooseSubset<T>(items: readonly T[], k: number, random: SeededRandom): T[] {
  if (k >= items.length) return [...items];
  if (k <= 0) return [];
  const indexes = items.map((_, i) => i);
  // Partial Fisher-Yates: the first k slots end up a uniform sample.
  for (let i = 0; i < k; i++) {
    const j = random.int(i, indexes.length - 1);
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf("/") + 1);
}
