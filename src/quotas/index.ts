import type { Clock } from "../core/clock.js";
import type { EventBus } from "../core/events.js";
import type { SeededRandom } from "../core/random.js";
import { parseQuotasConfig, type QuotasConfig } from "./config.js";
import { LimitsEngine } from "./engine.js";
import type { QuotaGate } from "./types.js";
import { UnlimitedGate } from "./unlimited.js";

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
export { UnlimitedGate } from "./unlimited.js";

export interface QuotaGateDeps {
  clock: Clock;
  random: SeededRandom;
  bus: EventBus;
  /** Under a virtual clock: wall time that also answers registrations in flight. */
  wall?: Clock;
}

/**
 * The gate the simulator runs with. `config` is the raw `quotas` section (validated here) or an
 * already parsed one. The `unlimited` profile with nothing layered on top gets the no-op
 * UnlimitedGate; any override or chaos rule needs the engine even then, because that is asking
 * for something to be enforced. Admin routes need a LimitsEngine: check `gate instanceof LimitsEngine`.
 */
export function createQuotaGate(config: unknown, deps: QuotaGateDeps): QuotaGate {
  const parsed: QuotasConfig = parseQuotasConfig(config);
  const layered =
    Object.keys(parsed.overrides).length > 0 ||
    Object.keys(parsed.regions).length > 0 ||
    Object.keys(parsed.accounts).length > 0 ||
    Object.keys(parsed.chaos).length > 0 ||
    parsed.registrationWindowMs !== undefined;
  if (parsed.profile === "unlimited" && !layered) return new UnlimitedGate();
  return new LimitsEngine({ ...deps, config: parsed });
}
