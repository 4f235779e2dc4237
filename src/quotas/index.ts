import type { Clock } from "../core/clock.js";
import type { EventBus } from "../core/events.js";
import type { SeededRandom } from "../core/random.js";
import { parseQuotasConfig } from "./config.js";
import { LimitsEngine } from "./engine.js";

export { renderBucketTableMarkdown } from "./bucket-table.js";
export { ALL_BUCKETS, ECS_API_BUCKETS, FARGATE_BUCKETS, categoryOf, bucketsForCall } from "./api-buckets.js";
export {
  QuotasConfigSchema,
  QuotaOverridesSchema,
  QuotaPatchSchema,
  QuotasConfigError,
  parseQuotasConfig,
  quotasSummary,
  resolveQuotaValues,
  type QuotasConfig,
  type QuotasConfigInput,
  type QuotaOverrides,
  type QuotaPatch,
  type QuotaPatchInput,
} from "./config.js";
export { LimitsEngine, VCPU_QUOTA_NAME, type LimitsEngineDeps, type QuotasView, type UsageView } from "./engine.js";
export { PROFILE_NAMES, profileValues, type ProfileName, type QuotaValues } from "./profiles.js";
export { TokenBucket, type BucketSpec } from "./token-bucket.js";
export * from "./types.js";

export interface QuotaGateDeps {
  clock: Clock;
  random: SeededRandom;
  bus: EventBus;
  /** Under a virtual clock: wall time that also answers registrations in flight. */
  wall?: Clock;
}

/**
 * The gate the simulator runs with. `config` is the raw `quotas` section (validated here) or an
 * already parsed one. Always the engine, the `unlimited` profile included: under it nothing is
 * enforced, yet the admin routes answer and PUT /_sim/quotas can still impose a limit.
 */
export function createQuotaGate(config: unknown, deps: QuotaGateDeps): LimitsEngine {
  return new LimitsEngine({ ...deps, config: parseQuotasConfig(config) });
}
