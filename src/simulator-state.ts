/**
 * What `--state-dir` keeps, gathered from the parts that own it: every store record, the random
 * streams' position, the virtual clock, the quota layers and vCPU reservations, and a few facts
 * about the process (seed, metadata port). Each part has its own small snapshot/restore pair;
 * this file only names the entries.
 */
import { VirtualClock, type Clock } from "./core/clock.js";
import type { RandomPosition, SeededRandom } from "./core/random.js";
import { LimitsEngine, type PersistedLimits } from "./quotas/engine.js";
import type { QuotaGate } from "./quotas/types.js";
import { restoreStore, storeEntries, storeEntryStamp } from "./state/snapshot.js";
import { restoreScaling, scalingEntries, scalingEntryStamp } from "./metrics/snapshot.js";
import type { Store } from "./state/store.js";

export interface PersistedMeta {
  seed: number;
  /** The Docker runtime's metadata port: adopted containers' forwarders point at it. */
  metadataPort?: number;
}

export interface PersistedParts {
  store: Store;
  random: SeededRandom;
  clock: Clock;
  quotas: QuotaGate;
  meta: () => PersistedMeta;
}

const STORE = "store|";
/** CloudWatch data and alarms, Application Auto Scaling targets, policies, scheduled actions, activities. */
const SCALING = "scaling|";
const META = "sim|meta";
const RANDOM = "sim|random";
const CLOCK = "sim|clock";
const QUOTAS = "sim|quotas";

/** Change stamps of entries (see StatePersistence): store records know theirs. */
export function persistedStamp(key: string, value: unknown): string | undefined {
  if (key.startsWith(SCALING)) return scalingEntryStamp(key.slice(SCALING.length), value);
  return key.startsWith(STORE) ? storeEntryStamp(key.slice(STORE.length), value) : undefined;
}

/** The random position changes with every request id drawn: it is written along with real changes. */
export const VOLATILE_ENTRIES: ReadonlySet<string> = new Set([RANDOM]);

export function persistedEntries(parts: PersistedParts): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of storeEntries(parts.store)) out.set(STORE + k, v);
  for (const [k, v] of scalingEntries(parts.store)) out.set(SCALING + k, v);
  out.set(META, parts.meta());
  out.set(RANDOM, parts.random.position());
  if (parts.clock instanceof VirtualClock) out.set(CLOCK, parts.clock.now());
  if (parts.quotas instanceof LimitsEngine) out.set(QUOTAS, parts.quotas.persisted());
  return out;
}

/** Facts needed before the simulator is built: the seed, and where virtual time stood. */
export function savedStart(saved: Map<string, unknown>): { meta?: PersistedMeta; clock?: number } {
  return { meta: saved.get(META) as PersistedMeta | undefined, clock: saved.get(CLOCK) as number | undefined };
}

export function restoreEntries(parts: Omit<PersistedParts, "meta">, saved: Map<string, unknown>): void {
  const records: [string, unknown][] = [];
  for (const [k, v] of saved) if (k.startsWith(STORE)) records.push([k.slice(STORE.length), v]);
  restoreStore(parts.store, records);
  const scaling: [string, unknown][] = [];
  for (const [k, v] of saved) if (k.startsWith(SCALING)) scaling.push([k.slice(SCALING.length), v]);
  restoreScaling(parts.store, scaling);
  const random = saved.get(RANDOM) as RandomPosition | undefined;
  if (random) parts.random.restorePosition(random);
  const quotas = saved.get(QUOTAS) as PersistedLimits | undefined;
  if (quotas && parts.quotas instanceof LimitsEngine) parts.quotas.restorePersisted(quotas);
}
