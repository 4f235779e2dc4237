import type { QuotaOverrides, QuotasConfig } from "./config.js";
import { QuotasConfigError } from "./config.js";
import type { Scope } from "./types.js";

/** The keys of one overrides layer that DELETE /_sim/quotas/<key>[/<name>] can restore. */
const OVERRIDE_KEYS = new Set([
  "buckets", "operationBuckets", "vcpu", "static", "maxTaskMemoryMiB", "registrationWindowMs", "launchRateExceeded",
]);
const KEYS_WITH_NAMES = new Set(["buckets", "operationBuckets", "vcpu", "static"]);

/**
 * `config` with one setting of one layer (global, a Region, an account or an account's Region)
 * put back to what `initial` (the startup configuration) had there: an override made at run time
 * disappears, a configured one comes back. `path` is `[key]` or `[key, name]`, e.g.
 * `["vcpu", "spot"]`, `["buckets", "cluster-resource-read"]`, `["chaos", "RunTask"]`.
 * Throws QuotasConfigError for a path no layer has.
 */
export function restoreSetting(config: QuotasConfig, initial: QuotasConfig, path: string[], target: Partial<Scope>): QuotasConfig {
  const [key, name, ...rest] = path;
  if (key === undefined || rest.length > 0) throw new QuotasConfigError(`"${path.join("/")}" is not a quota setting`);
  const next = structuredClone(config);
  if (key === "chaos") {
    if (name === undefined) next.chaos = structuredClone(initial.chaos);
    else copyOrDelete(next.chaos, initial.chaos, name);
    return next;
  }
  if (!OVERRIDE_KEYS.has(key)) {
    throw new QuotasConfigError(`"${key}" is not a quota setting; one of: ${[...OVERRIDE_KEYS, "chaos"].join(", ")}`);
  }
  if (name !== undefined && !KEYS_WITH_NAMES.has(key)) throw new QuotasConfigError(`"${key}" has no named entries`);
  const layer = layerOf(next, target);
  if (!layer) return next;
  const was = layerOf(initial, target);
  if (name === undefined) {
    copyOrDelete(layer as Record<string, unknown>, (was ?? {}) as Record<string, unknown>, key);
    return next;
  }
  const entries = (layer as Record<string, Record<string, unknown> | undefined>)[key];
  if (!entries) return next;
  copyOrDelete(entries, ((was as Record<string, Record<string, unknown> | undefined> | undefined)?.[key] ?? {}), name);
  return next;
}

function layerOf(config: QuotasConfig, { account, region }: Partial<Scope>): QuotaOverrides | undefined {
  if (account) {
    const acct = config.accounts[account];
    return region ? acct?.regions[region] : acct?.overrides;
  }
  return region ? config.regions[region] : config.overrides;
}

function copyOrDelete(into: Record<string, unknown>, from: Record<string, unknown>, key: string): void {
  if (Object.hasOwn(from, key)) into[key] = structuredClone(from[key]);
  else delete into[key];
}
