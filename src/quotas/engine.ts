import type { Clock } from "../core/clock.js";
import type { EventBus, LimitDecision } from "../core/events.js";
import type { SeededRandom } from "../core/random.js";
import { ClientException, ServerException, ThrottlingException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { bucketDefinition, categoryOf, LAUNCH_BUCKET_ID, RUN_TASK_BUCKET_ID } from "./api-buckets.js";
import { chaosRuleFor, drawChaos } from "./chaos.js";
import {
  mergeOverrides,
  QuotaPatchSchema,
  QuotasConfigError,
  formatIssues,
  resolveQuotaValues,
  type QuotaOverrides,
  type QuotaPatchInput,
  type QuotasConfig,
} from "./config.js";
import { DecisionLog } from "./decision-log.js";
import { restoreSetting } from "./restore.js";
import type { QuotaValues } from "./profiles.js";
import { RegistrationWindows } from "./registration-windows.js";
import { TokenBucket, type BucketSpec } from "./token-bucket.js";
import type { LaunchDecision, LaunchRequest, QuotaGate, Scope, StaticLimits, VcpuClass } from "./types.js";
import { VcpuLedger, type Reservation } from "./vcpu-ledger.js";

export interface PersistedLimits {
  config: QuotasConfig;
  reservations: [string, Reservation][];
}

export interface LimitsEngineDeps {
  clock: Clock;
  random: SeededRandom;
  bus: EventBus;
  config: QuotasConfig;
  /** Under a virtual clock: wall time that also ends a registration's window (see RegistrationWindows). */
  wall?: Clock;
}

/** Service Quotas names, used as the `limit` of vCPU decisions. */
export const VCPU_QUOTA_NAME: Record<VcpuClass, string> = {
  "on-demand": "Fargate On-Demand vCPU resource count",
  spot: "Fargate Spot vCPU resource count",
};

export interface QuotasView {
  profile: string;
  account?: string;
  region?: string;
  /** Values in force for the scope asked about (global layers only when none was given). */
  effective: QuotaValues;
  /** The configured layers, including every PUT /_sim/quotas so far. */
  layers: Pick<QuotasConfig, "registrationWindowMs" | "overrides" | "regions" | "accounts">;
  chaos: QuotasConfig["chaos"];
}

export interface UsageView {
  time: number;
  vcpu: Array<{ account: string; region: string; vcpuClass: VcpuClass; inUse: number; tasks: number; quota: number | null }>;
  buckets: Array<{ account: string; region: string; bucket: string; tokens: number; burst: number; sustained: number }>;
  registrationWindows: Array<{ account: string; region: string; family: string; remainingMs: number }>;
  /** Decisions that fell out of the bounded log. */
  decisionsDropped: number;
}

interface BucketUse {
  key: string;
  id: string;
  spec: BucketSpec;
}

/**
 * The AWS limits engine: API token buckets, Fargate RunTask and launch buckets, per-family
 * registration windows, Fargate vCPU quotas, static limits and chaos faults, all keyed by account
 * and Region. Time comes only from the injected Clock and chance only from the SeededRandom.
 *
 * Decisions: every refusal is logged and published as "limit.decision"; admissions only when
 * `recordAdmissions` is on (one per call would drown the refusals people look for).
 */
export class LimitsEngine implements QuotaGate {
  private readonly clock: Clock;
  private readonly random: SeededRandom;
  private readonly bus: EventBus;
  private config: QuotasConfig;
  /** The startup configuration, which reset and DELETE /_sim/quotas return to. */
  private readonly initial: QuotasConfig;
  private readonly buckets = new Map<string, { account: string; region: string; id: string; bucket: TokenBucket }>();
  private readonly resolved = new Map<string, QuotaValues>();
  /** Per account, region and operation: the buckets an API call draws from. */
  private readonly calls = new Map<string, { uses: BucketUse[]; buckets: TokenBucket[]; ids: string }>();
  private readonly windows: RegistrationWindows;
  private readonly ledger = new VcpuLedger();
  private readonly log: DecisionLog;

  constructor(deps: LimitsEngineDeps) {
    this.clock = deps.clock;
    this.random = deps.random;
    this.bus = deps.bus;
    this.config = structuredClone(deps.config);
    this.initial = structuredClone(deps.config);
    this.log = new DecisionLog(this.config.decisionLogSize);
    this.windows = new RegistrationWindows(deps.clock, deps.wall);
  }

  // ---- QuotaGate ------------------------------------------------------------------------------

  admitApiCall(scope: Scope, operation: string, requestId: string): void {
    const now = this.clock.now();
    // Every API call comes through here: its buckets are looked up once per scope and operation
    // (the cache is dropped with the resolved values whenever the limits change).
    const key = `${scope.account}|${scope.region}|${operation}`;
    let call = this.calls.get(key);
    if (!call) {
      const uses = this.bucketsForCall(scope, operation);
      call = { uses, buckets: uses.map((u) => this.bucket(scope, u, now)), ids: uses.map((u) => u.id).join("+") || "none" };
      this.calls.set(key, call);
    }
    const { uses, buckets } = call;
    // All or nothing: a RunTask refused by the Fargate call bucket keeps its ECS category token.
    const blocked = buckets.findIndex((b) => !b.canTake(now));
    if (blocked >= 0) {
      this.refuse(scope, operation, requestId, "throttle", uses[blocked]!.id, describeBucket(uses[blocked]!));
      throw new ThrottlingException(Messages.rateExceeded);
    }
    for (const b of buckets) b.tryTake(now);

    // Chaos runs after the real buckets: an injected fault still spent its token, as a real 5xx would.
    const outcome = drawChaos(this.random, chaosRuleFor(this.config.chaos, operation));
    if (outcome === "throttle") {
      this.refuse(scope, operation, requestId, "chaos", "chaos-throttle");
      throw new ThrottlingException(Messages.rateExceeded);
    }
    if (outcome === "server-error") {
      this.refuse(scope, operation, requestId, "chaos", "chaos-server-error");
      throw new ServerException(Messages.serverUnavailable);
    }
    this.admit(scope, operation, requestId, "throttle", call.ids);
  }

  admitRegistration(scope: Scope, family: string, requestId: string): Promise<void> {
    const v = this.values(scope);
    const answered = this.windows.tryStart(scope.account, scope.region, family, v.registrationWindowMs);
    if (!answered) {
      this.refuse(scope, "RegisterTaskDefinition", requestId, "contention", "registration-window", `family ${family}`);
      throw new ClientException(Messages.tooManyConcurrentRegistrations);
    }
    this.admit(scope, "RegisterTaskDefinition", requestId, "contention", "registration-window", `family ${family}`);
    return answered;
  }

  reserveLaunch(scope: Scope, request: LaunchRequest): LaunchDecision {
    // Idempotent per task: a retried placement of the same task is not charged twice.
    if (this.ledger.has(request.taskArn)) return { ok: true };
    const v = this.values(scope);
    const now = this.clock.now();
    const { vcpuClass, operation, requestId } = request;
    const quota = vcpuClass === "spot" ? v.vcpu.spot : v.vcpu.onDemand;
    const quotaName = VCPU_QUOTA_NAME[vcpuClass];
    const detail = `task ${request.taskArn} (${request.vcpu} vCPU, ${request.memoryMiB} MiB)`;

    if (quota !== null && request.vcpu > quota) {
      this.refuse(scope, operation, requestId, "quota", quotaName, `${detail} exceeds the whole quota of ${quota}`);
      return { ok: false, reason: Messages.cpuAboveLimit };
    }
    if (v.maxTaskMemoryMiB !== null && request.memoryMiB > v.maxTaskMemoryMiB) {
      this.refuse(scope, operation, requestId, "quota", "maxTaskMemoryMiB", `${detail} above ${v.maxTaskMemoryMiB} MiB`);
      return { ok: false, reason: Messages.memoryAboveLimit };
    }
    const inUse = this.ledger.inUse(scope.account, scope.region, vcpuClass);
    if (quota !== null && inUse + request.vcpu > quota + 1e-9) {
      this.refuse(scope, operation, requestId, "vcpu-quota", quotaName, `${detail}; ${inUse} of ${quota} vCPU in use`);
      return { ok: false, reason: Messages.vcpuLimit };
    }
    const launchId = LAUNCH_BUCKET_ID[vcpuClass];
    const launchSpec = v.buckets[launchId] ?? null;
    if (launchSpec) {
      const use = { key: launchId, id: launchId, spec: launchSpec };
      if (!this.bucket(scope, use, now).tryTake(now)) {
        this.refuse(scope, operation, requestId, "throttle", launchId, `${detail}; ${describeBucket(use)}`);
        if (v.launchRateExceeded === "throttle") throw new ThrottlingException(Messages.rateExceeded);
        return { ok: false, reason: Messages.fargateLaunchRateExceeded };
      }
    }
    this.ledger.reserve(request.taskArn, { account: scope.account, region: scope.region, vcpuClass, vcpu: request.vcpu });
    this.admit(scope, operation, requestId, "vcpu-quota", quotaName, detail);
    return { ok: true };
  }

  release(_scope: Scope, taskArn: string): void {
    // Task ARNs carry account and Region, so the ledger is keyed by ARN alone.
    this.ledger.release(taskArn);
  }

  limits(scope: Scope): StaticLimits {
    return this.values(scope).static;
  }

  /**
   * As just started: the startup quotas (run-time overrides dropped), no reservations, levels or decisions;
   * registrations in flight are answered.
   */
  reset(): void {
    this.config = structuredClone(this.initial);
    this.resolved.clear();
    this.calls.clear();
    this.buckets.clear();
    this.ledger.clear();
    this.windows.clear();
    this.log.clear();
  }

  // ---- Admin ----------------------------------------------------------------------------------

  getQuotas(scope?: Partial<Scope>): QuotasView {
    const c = this.config;
    return structuredClone({
      profile: c.profile,
      ...(scope?.account ? { account: scope.account } : {}),
      ...(scope?.region ? { region: scope.region } : {}),
      effective: resolveQuotaValues(c, scope?.account, scope?.region),
      layers: {
        registrationWindowMs: c.registrationWindowMs,
        overrides: c.overrides,
        regions: c.regions,
        accounts: c.accounts,
      },
      chaos: c.chaos,
    });
  }

  /**
   * Merges a partial patch into one layer (global, a Region, an account, or an account's Region)
   * and applies it at once. Lower vCPU quotas do not evict running tasks: they only refuse new ones.
   * Throws QuotasConfigError on an invalid patch.
   */
  putQuotas(patch: QuotaPatchInput, target: Partial<Scope> = {}): QuotasView {
    const parsed = QuotaPatchSchema.safeParse(patch);
    if (!parsed.success) throw new QuotasConfigError(`invalid quotas patch: ${formatIssues(parsed.error)}`);
    const { account: pAccount, region: pRegion, chaos, ...overrides } = parsed.data;
    const account = target.account ?? pAccount;
    const region = target.region ?? pRegion;
    const next = structuredClone(this.config);
    const o = overrides as QuotaOverrides;
    if (account) {
      const acct = (next.accounts[account] ??= { overrides: {}, regions: {} });
      if (region) acct.regions[region] = mergeOverrides(acct.regions[region] ?? {}, o);
      else acct.overrides = mergeOverrides(acct.overrides, o);
    } else if (region) {
      next.regions[region] = mergeOverrides(next.regions[region] ?? {}, o);
    } else {
      next.overrides = mergeOverrides(next.overrides, o);
    }
    if (chaos) next.chaos = { ...next.chaos, ...chaos };
    this.config = next;
    this.resolved.clear();
    this.calls.clear();
    return this.getQuotas({ ...(account ? { account } : {}), ...(region ? { region } : {}) });
  }

  /**
   * Puts one setting of one layer back to its startup value (`path` as in restoreSetting), or the
   * whole quotas configuration when `path` is empty. Throws QuotasConfigError for an unknown path.
   */
  restoreQuotas(path: string[], target: Partial<Scope> = {}): QuotasView {
    this.config = path.length === 0 ? structuredClone(this.initial) : restoreSetting(this.config, this.initial, path, target);
    this.resolved.clear();
    this.calls.clear();
    return this.getQuotas(target);
  }

  usage(): UsageView {
    const now = this.clock.now();
    return {
      time: now,
      vcpu: this.ledger.rows().map((r) => {
        const v = this.values(r);
        return { ...r, quota: r.vcpuClass === "spot" ? v.vcpu.spot : v.vcpu.onDemand };
      }),
      buckets: [...this.buckets.values()].map((b) => ({
        account: b.account,
        region: b.region,
        bucket: b.id,
        tokens: Math.round(b.bucket.tokens(now) * 1000) / 1000,
        ...b.bucket.spec,
      })),
      registrationWindows: this.windows.open(now),
      decisionsDropped: this.log.droppedCount,
    };
  }

  /** Logged decisions, oldest first; `since` is epoch ms, inclusive. */
  decisions(since?: number): LimitDecision[] {
    return this.log.list(since);
  }

  /**
   * What survives a restart (`--state-dir`): the quota layers with every PUT /_sim/quotas, and the
   * vCPU reservations of live tasks. Token buckets refill and registration windows close, as they
   * would during the downtime.
   */
  persisted(): PersistedLimits {
    return { config: structuredClone(this.config), reservations: this.ledger.reservations() };
  }

  restorePersisted(p: PersistedLimits): void {
    this.config = structuredClone(p.config);
    this.resolved.clear();
    this.calls.clear();
    this.ledger.clear();
    for (const [arn, r] of p.reservations) this.ledger.reserve(arn, r);
  }

  /** The current quotas section (after every putQuotas), e.g. for a summary line. */
  currentConfig(): QuotasConfig {
    return structuredClone(this.config);
  }

  // ---- Internals ------------------------------------------------------------------------------

  private values(scope: Scope): QuotaValues {
    const key = `${scope.account}|${scope.region}`;
    let v = this.resolved.get(key);
    if (!v) {
      v = resolveQuotaValues(this.config, scope.account, scope.region);
      this.resolved.set(key, v);
    }
    return v;
  }

  private bucketsForCall(scope: Scope, operation: string): BucketUse[] {
    const v = this.values(scope);
    const uses: BucketUse[] = [];
    if (Object.hasOwn(v.operationBuckets, operation)) {
      const spec = v.operationBuckets[operation];
      if (spec) uses.push({ key: `op:${operation}`, id: `operation:${operation}`, spec });
    } else {
      const id = categoryOf(operation);
      const spec = v.buckets[id];
      if (spec) uses.push({ key: id, id, spec });
    }
    if (operation === "RunTask") {
      const spec = v.buckets[RUN_TASK_BUCKET_ID];
      if (spec) uses.push({ key: RUN_TASK_BUCKET_ID, id: RUN_TASK_BUCKET_ID, spec });
    }
    return uses;
  }

  /** The live bucket for a scope, created full on first use and kept in step with the config. */
  private bucket(scope: Scope, use: BucketUse, now: number): TokenBucket {
    const key = `${scope.account}|${scope.region}|${use.key}`;
    const entry = this.buckets.get(key);
    if (entry) {
      entry.bucket.reconfigure(use.spec, now);
      return entry.bucket;
    }
    const bucket = new TokenBucket(use.spec, now);
    this.buckets.set(key, { account: scope.account, region: scope.region, id: use.id, bucket });
    return bucket;
  }

  private refuse(
    scope: Scope,
    operation: string,
    requestId: string | undefined,
    kind: LimitDecision["kind"],
    limit: string,
    detail?: string,
  ): void {
    this.record({ scope, operation, requestId, kind, limit, detail, allowed: false });
  }

  private admit(
    scope: Scope,
    operation: string,
    requestId: string | undefined,
    kind: LimitDecision["kind"],
    limit: string,
    detail?: string,
  ): void {
    if (!this.config.recordAdmissions) return;
    this.record({ scope, operation, requestId, kind, limit, detail, allowed: true });
  }

  private record(d: {
    scope: Scope;
    operation: string;
    requestId: string | undefined;
    kind: LimitDecision["kind"];
    limit: string;
    detail: string | undefined;
    allowed: boolean;
  }): void {
    const decision: LimitDecision = {
      time: this.clock.now(),
      account: d.scope.account,
      region: d.scope.region,
      operation: d.operation,
      kind: d.kind,
      limit: d.limit,
      allowed: d.allowed,
      ...(d.requestId !== undefined ? { requestId: d.requestId } : {}),
      ...(d.detail !== undefined ? { detail: d.detail } : {}),
    };
    this.log.add(decision);
    this.bus.publish("limit.decision", decision);
  }
}

function describeBucket(use: BucketUse): string {
  const name = bucketDefinition(use.id)?.name ?? use.id;
  return `${name} (burst ${use.spec.burst}, ${use.spec.sustained}/s)`;
}
