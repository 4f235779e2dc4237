import { RegionState, type Store, type TaskRecord } from "./store.js";

/**
 * The store's one snapshot/restore interface: every record as one entry under a stable key, so a
 * journal can write only what changed. Whoever changes how records are held (indexes, compact
 * task records) changes these two functions and nothing else.
 */
const KINDS = ["clusters", "families", "tasks", "services", "containerInstances", "tags", "settings", "defaultSettings", "runTaskTokens", "capacityProviders", "autoScalingGroups"] as const;
type Kind = (typeof KINDS)[number];

const SEP = "|";

export function storeEntries(store: Store): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const region of store.allRegions()) {
    for (const kind of KINDS) {
      for (const [id, record] of region[kind] as Map<string, unknown>) {
        out.set([region.account, region.region, kind, id].join(SEP), record);
      }
    }
  }
  return out;
}

/** Puts entries made by storeEntries back into an empty store. */
export function restoreStore(store: Store, entries: Iterable<[string, unknown]>): void {
  for (const [key, record] of entries) {
    const [account, region, kind, ...rest] = key.split(SEP);
    if (!account || !region || !KINDS.includes(kind as Kind)) continue;
    const state: RegionState = store.region(account, region);
    (state[kind as Kind] as Map<string, unknown>).set(rest.join(SEP), record);
  }
}

/**
 * A change stamp for the entries that are many and big, tasks: the lifecycle bumps `version` on
 * every change it makes to a task, and the rest of the record is small.
 */
export function storeEntryStamp(key: string, record: unknown): string | undefined {
  if (key.split(SEP)[2] !== "tasks") return undefined;
  const r = record as TaskRecord;
  return `${r.task.version ?? 0}|${r.containersStarted}|${r.expiresAt ?? ""}|${r.serviceName ?? ""}|${JSON.stringify(r.protection ?? null)}|${r.orphaned ? 1 : 0}`;
}
