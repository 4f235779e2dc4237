import type { Store } from "../state/store.js";
import type { MetricAlarm } from "./alarms.js";
import type { PersistedSeries } from "./store.js";

/**
 * CloudWatch's and Application Auto Scaling's state as --state-dir entries, one per record:
 *   <account>|<region>|alarms|<name>, metrics|<metric key>, targets|<key>, policies|<key>,
 *   scheduled|<key>, and one `activities` list (bounded, newest first).
 */
const SEP = "|";

export function scalingEntries(store: Store): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of store.allRegions()) {
    const at = (...parts: string[]) => [r.account, r.region, ...parts].join(SEP);
    for (const [name, alarm] of r.alarms) out.set(at("alarms", name), alarm);
    for (const series of r.metrics.snapshot()) out.set(at("metrics", series.key), series);
    for (const [k, v] of r.autoscaling.targets) out.set(at("targets", k), v);
    for (const [k, v] of r.autoscaling.policies) out.set(at("policies", k), v);
    for (const [k, v] of r.autoscaling.scheduled) out.set(at("scheduled", k), v);
    if (r.autoscaling.activities.length > 0) out.set(at("activities"), r.autoscaling.activities);
  }
  return out;
}

export function restoreScaling(store: Store, entries: Iterable<[string, unknown]>): void {
  for (const [key, value] of entries) {
    const [account, region, kind, ...rest] = key.split(SEP);
    if (!account || !region || !kind) continue;
    const r = store.region(account, region);
    const id = rest.join(SEP);
    if (kind === "alarms") r.alarms.set(id, value as MetricAlarm);
    else if (kind === "metrics") r.metrics.restore(value as PersistedSeries);
    else if (kind === "targets") r.autoscaling.targets.set(id, value as never);
    else if (kind === "policies") r.autoscaling.policies.set(id, value as never);
    else if (kind === "scheduled") r.autoscaling.scheduled.set(id, value as never);
    else if (kind === "activities") r.autoscaling.activities.push(...(value as never[]));
  }
}

/**
 * Change stamps for the entries that grow: a series changes when a datapoint or its set values do,
 * the activity list when an activity is added (newest first).
 */
export function scalingEntryStamp(key: string, value: unknown): string | undefined {
  const kind = key.split(SEP)[2];
  if (kind === "metrics") {
    const s = value as PersistedSeries;
    return `${s.points.length}|${s.points.at(-1)?.t ?? ""}|${s.gauge ? JSON.stringify(s.gauge) : ""}`;
  }
  if (kind === "activities") {
    const list = value as { ActivityId: string }[];
    return `${list.length}|${list[0]?.ActivityId ?? ""}`;
  }
  return undefined;
}
