import { ALL_BUCKETS } from "./api-buckets.js";
import type { BucketSpec } from "./token-bucket.js";
import { DEFAULT_STATIC_LIMITS, type StaticLimits } from "./types.js";

/**
 * The limit values in force for one account and Region, after the profile and every override
 * layer are applied. `null` means "not enforced".
 */
export interface QuotaValues {
  /** Per bucket id (see api-buckets.ts); null = that bucket never throttles. */
  buckets: Record<string, BucketSpec | null>;
  /**
   * Operations given a bucket of their own instead of their category's (e.g. to throttle only
   * DescribeTasks, scenario S6); null = the operation is exempt from API throttling.
   */
  operationBuckets: Record<string, BucketSpec | null>;
  /** Fargate vCPU resource count quotas (task-level vCPU running concurrently). */
  vcpu: { onDemand: number | null; spot: number | null };
  /**
   * Largest task memory (MiB) one task may ask for. AWS documents no such account quota (only the
   * failure text exists), so every profile leaves it off.
   */
  maxTaskMemoryMiB: number | null;
  /**
   * How long a family stays locked after an accepted RegisterTaskDefinition. AWS documents no
   * window (AWS documents none); 1000 ms is the simulator's tunable, matching the
   * 1 s pause client authors found sufficient (Jenkins ECS plugin). 0 disables the check.
   */
  registrationWindowMs: number;
  /**
   * What a task sees when its Fargate launch bucket is empty (AWS documents none).
   * "failure": reserveLaunch returns { ok: false } and RunTask lists it in failures[] (default:
   * fits the per-task failure model and never throws mid-call). "throttle": reserveLaunch throws
   * ThrottlingException "Rate exceeded", the only client-visible form ever observed on Fargate.
   */
  launchRateExceeded: "failure" | "throttle";
  static: StaticLimits;
}

export const PROFILE_NAMES = ["aws-default", "established", "unlimited"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** AWS's documented defaults. */
export const AWS_DEFAULT_VCPU = 6;
/** What long-lived accounts commonly show (observed). */
export const ESTABLISHED_VCPU = 4000;
/**
 * Per-family RegisterTaskDefinition contention window. AWS documents none.
 * 80 ms is about the time a registration is in flight: two runs starting together collide
 * (PrefectHQ/prefect#10102 reports ~15 % with two concurrent runs), while Prefect's retries 1-3 s
 * later succeed, as in scenario S1. A 1 s window would make a 20-run burst fail all retries.
 */
export const DEFAULT_REGISTRATION_WINDOW_MS = 80;

function awsBuckets(): Record<string, BucketSpec> {
  const out: Record<string, BucketSpec> = {};
  for (const b of ALL_BUCKETS) out[b.id] = { burst: b.burst, sustained: b.sustained };
  return out;
}

export function profileValues(profile: ProfileName): QuotaValues {
  const base: QuotaValues = {
    buckets: awsBuckets(),
    operationBuckets: {},
    vcpu: { onDemand: AWS_DEFAULT_VCPU, spot: AWS_DEFAULT_VCPU },
    maxTaskMemoryMiB: null,
    registrationWindowMs: DEFAULT_REGISTRATION_WINDOW_MS,
    launchRateExceeded: "failure",
    static: { ...DEFAULT_STATIC_LIMITS },
  };
  switch (profile) {
    case "aws-default":
      return base;
    case "established":
      // Same request rates: AWS raises those only through Support, and rarely.
      return { ...base, vcpu: { onDemand: ESTABLISHED_VCPU, spot: ESTABLISHED_VCPU } };
    case "unlimited": {
      const buckets: Record<string, BucketSpec | null> = {};
      for (const id of Object.keys(base.buckets)) buckets[id] = null;
      // Static limits stay: they are API validation rules (count <= 10, 100 ids), not quotas.
      return { ...base, buckets, vcpu: { onDemand: null, spot: null }, registrationWindowMs: 0 };
    }
  }
}
