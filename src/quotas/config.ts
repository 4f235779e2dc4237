import { ConfigError } from "../config.js";
import { z } from "zod";
import { ALL_BUCKETS, bucketDefinition, categoryOf } from "./api-buckets.js";
import { PROFILE_NAMES, profileValues, type ProfileName, type QuotaValues } from "./profiles.js";
import type { BucketSpec } from "./token-bucket.js";

/**
 * The `quotas` section of the simulator config. Layers, applied in this order for an account and
 * Region: profile, top-level registrationWindowMs, overrides, regions[region],
 * accounts[account].overrides, accounts[account].regions[region]. PUT /_sim/quotas writes into
 * the same layers at run time.
 */
const BucketPatchSchema = z
  .object({
    burst: z.number().positive().finite(),
    sustained: z.number().min(0).finite(),
  })
  .partial()
  .strict()
  .nullable();

const knownBucketIds = new Set(ALL_BUCKETS.map((b) => b.id));

const StaticLimitsPatchSchema = z
  .object({
    runTaskMaxCount: z.number().int().positive(),
    clustersPerAccount: z.number().int().positive(),
    servicesPerCluster: z.number().int().positive(),
    tasksPerService: z.number().int().positive(),
    describeTasksMaxIds: z.number().int().positive(),
    taskDefinitionMaxBytes: z.number().int().positive(),
    revisionsPerFamily: z.number().int().positive(),
    tagsPerResource: z.number().int().positive(),
    containersPerTaskDefinition: z.number().int().positive(),
  })
  .partial()
  .strict();

export const QuotaOverridesSchema = z
  .object({
    buckets: z
      .record(BucketPatchSchema)
      .superRefine((value, ctx) => {
        for (const id of Object.keys(value)) {
          if (!knownBucketIds.has(id)) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              path: [id],
              message: `unknown bucket "${id}"; known buckets: ${[...knownBucketIds].join(", ")}`,
            });
          }
        }
      })
      .optional(),
    operationBuckets: z
      .record(BucketPatchSchema)
      .superRefine((value, ctx) => {
        for (const op of Object.keys(value)) {
          if (!/^[A-Z][A-Za-z0-9]*$/.test(op)) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, path: [op], message: `"${op}" is not an operation name` });
          }
        }
      })
      .optional(),
    vcpu: z
      .object({ onDemand: z.number().min(0).finite().nullable(), spot: z.number().min(0).finite().nullable() })
      .partial()
      .strict()
      .optional(),
    maxTaskMemoryMiB: z.number().positive().finite().nullable().optional(),
    registrationWindowMs: z.number().int().min(0).optional(),
    launchRateExceeded: z.enum(["failure", "throttle"]).optional(),
    static: StaticLimitsPatchSchema.optional(),
  })
  .strict();

export const ChaosRuleSchema = z
  .object({
    throttleProbability: z.number().min(0).max(1).default(0),
    serverErrorProbability: z.number().min(0).max(1).default(0),
  })
  .strict()
  .refine((r) => r.throttleProbability + r.serverErrorProbability <= 1, {
    message: "throttleProbability + serverErrorProbability must not exceed 1",
  });

/** Per operation name; "*" applies to every operation without its own entry. */
export const ChaosSchema = z.record(ChaosRuleSchema);

export const AccountQuotasSchema = z
  .object({
    overrides: QuotaOverridesSchema.default({}),
    regions: z.record(QuotaOverridesSchema).default({}),
  })
  .strict();

export const QuotasConfigSchema = z
  .object({
    profile: z.enum(PROFILE_NAMES).default("aws-default"),
    overrides: QuotaOverridesSchema.default({}),
    regions: z.record(QuotaOverridesSchema).default({}),
    accounts: z.record(AccountQuotasSchema).default({}),
    /** Per-family registration window; default from the profile (1000 ms, 0 for unlimited). */
    registrationWindowMs: z.number().int().min(0).optional(),
    chaos: ChaosSchema.default({}),
    /** How many limit decisions GET /_sim/throttles keeps (oldest dropped first). */
    decisionLogSize: z.number().int().min(1).max(1_000_000).default(1000),
    /** Also log admissions (every admitted call and launch), not just refusals. Off: it floods the log. */
    recordAdmissions: z.boolean().default(false),
  })
  .strict();

export type QuotaOverrides = z.infer<typeof QuotaOverridesSchema>;
export type ChaosRule = z.infer<typeof ChaosRuleSchema>;
export type QuotasConfig = z.infer<typeof QuotasConfigSchema>;
export type QuotasConfigInput = z.input<typeof QuotasConfigSchema>;

/** PUT /_sim/quotas body: overrides for one layer, plus chaos rules (global). */
export const QuotaPatchSchema = QuotaOverridesSchema.extend({
  account: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  chaos: ChaosSchema.optional(),
}).strict();
export type QuotaPatch = z.infer<typeof QuotaPatchSchema>;
/** What callers may pass to putQuotas (chaos probabilities may be omitted, default 0). */
export type QuotaPatchInput = z.input<typeof QuotaPatchSchema>;

export class QuotasConfigError extends ConfigError {}

/** Parses the `quotas` config section (undefined = all defaults), with one readable error. */
export function parseQuotasConfig(input: unknown): QuotasConfig {
  const result = QuotasConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new QuotasConfigError(`invalid quotas configuration: ${formatIssues(result.error)}`);
  return result.data;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}${movedHint(i)}`).join("; ");
}

/** Capacity shortages used to be a quotas knob; point anyone still using it at their new home. */
function movedHint(issue: z.ZodIssue): string {
  if (issue.code !== z.ZodIssueCode.unrecognized_keys || !issue.keys.includes("capacityUnavailableProbability")) return "";
  return " (capacity shortages moved to the `capacity` config section and PUT /_sim/capacity)";
}

/** Applies one override layer to resolved values (returns a new object). */
export function applyOverrides(values: QuotaValues, o: QuotaOverrides | undefined): QuotaValues {
  if (!o) return values;
  const out: QuotaValues = {
    ...values,
    buckets: { ...values.buckets },
    operationBuckets: { ...values.operationBuckets },
    vcpu: { ...values.vcpu },
    static: { ...values.static },
  };
  for (const [id, patch] of Object.entries(o.buckets ?? {})) {
    const def = bucketDefinition(id);
    out.buckets[id] = mergeBucket(out.buckets[id] ?? null, patch, def ?? { burst: 1, sustained: 1 });
  }
  for (const [op, patch] of Object.entries(o.operationBuckets ?? {})) {
    // A partial patch fills its missing field from the op's own bucket, else its category's.
    const fallback = out.operationBuckets[op] ?? out.buckets[categoryOf(op)] ?? bucketDefinition(categoryOf(op))!;
    out.operationBuckets[op] = mergeBucket(out.operationBuckets[op] ?? null, patch, fallback);
  }
  if (o.vcpu?.onDemand !== undefined) out.vcpu.onDemand = o.vcpu.onDemand;
  if (o.vcpu?.spot !== undefined) out.vcpu.spot = o.vcpu.spot;
  if (o.maxTaskMemoryMiB !== undefined) out.maxTaskMemoryMiB = o.maxTaskMemoryMiB;
  if (o.registrationWindowMs !== undefined) out.registrationWindowMs = o.registrationWindowMs;
  if (o.launchRateExceeded !== undefined) out.launchRateExceeded = o.launchRateExceeded;
  if (o.static) Object.assign(out.static, stripUndefined(o.static));
  return out;
}

function mergeBucket(
  current: BucketSpec | null,
  patch: { burst?: number; sustained?: number } | null,
  fallback: BucketSpec,
): BucketSpec | null {
  if (patch === null) return null;
  const base = current ?? fallback;
  return { burst: patch.burst ?? base.burst, sustained: patch.sustained ?? base.sustained };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Values in force for an account and Region (either may be omitted for the global layers only). */
export function resolveQuotaValues(config: QuotasConfig, account?: string, region?: string): QuotaValues {
  let v = profileValues(config.profile as ProfileName);
  if (config.registrationWindowMs !== undefined) v = { ...v, registrationWindowMs: config.registrationWindowMs };
  v = applyOverrides(v, config.overrides);
  if (region) v = applyOverrides(v, config.regions[region]);
  const acct = account ? config.accounts[account] : undefined;
  if (acct) {
    v = applyOverrides(v, acct.overrides);
    if (region) v = applyOverrides(v, acct.regions[region]);
  }
  return v;
}

/** Merges a patch into an override layer (later keys win; nested maps merge key by key). */
export function mergeOverrides(into: QuotaOverrides, patch: QuotaOverrides): QuotaOverrides {
  const out: QuotaOverrides = { ...into };
  if (patch.buckets) out.buckets = mergeBucketPatches(into.buckets, patch.buckets);
  if (patch.operationBuckets) out.operationBuckets = mergeBucketPatches(into.operationBuckets, patch.operationBuckets);
  if (patch.vcpu) out.vcpu = { ...into.vcpu, ...stripUndefined(patch.vcpu) };
  if (patch.static) out.static = { ...into.static, ...stripUndefined(patch.static) };
  if (patch.maxTaskMemoryMiB !== undefined) out.maxTaskMemoryMiB = patch.maxTaskMemoryMiB;
  if (patch.registrationWindowMs !== undefined) out.registrationWindowMs = patch.registrationWindowMs;
  if (patch.launchRateExceeded !== undefined) out.launchRateExceeded = patch.launchRateExceeded;
  return out;
}

type BucketPatches = NonNullable<QuotaOverrides["buckets"]>;
function mergeBucketPatches(into: BucketPatches | undefined, patch: BucketPatches): BucketPatches {
  const out: BucketPatches = { ...into };
  for (const [id, p] of Object.entries(patch)) {
    const prev = out[id];
    // null (unlimited) replaces; a partial spec merges onto an earlier partial spec.
    out[id] = p === null || prev === null || prev === undefined ? p : { ...prev, ...stripUndefined(p) };
  }
  return out;
}

function fmt(n: number | null): string {
  return n === null ? "unlimited" : String(n);
}

/** One line for the startup banner: profile and the vCPU quotas of the default scope. */
export function quotasSummary(config: QuotasConfig, account?: string, region?: string): string {
  const v = resolveQuotaValues(config, account, region);
  const layers = Object.keys(config.regions).length + Object.keys(config.accounts).length;
  const chaos = Object.keys(config.chaos).length;
  return (
    `quotas: profile ${config.profile}, Fargate vCPU on-demand ${fmt(v.vcpu.onDemand)}, spot ${fmt(v.vcpu.spot)}` +
    `, registration window ${v.registrationWindowMs} ms` +
    (layers ? `, ${layers} region/account override layer(s)` : "") +
    (chaos ? `, chaos on ${Object.keys(config.chaos).join(", ")}` : "")
  );
}
