import { z } from "zod";
import { ConfigError, formatZodIssues } from "../config.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SeededRandom } from "../core/random.js";
import { FARGATE_PROVIDERS, type FargateProvider } from "../domain/capacity-providers.js";
import type { Scope } from "../domain/scope.js";
import { Messages } from "../errors/messages.js";
import type { CapacityGate } from "./capacity.js";

/**
 * Fargate capacity shortages, the one mechanism for them: off by default, set in
 * the `capacity` config section or at run time with PUT /_sim/capacity.
 *
 *   capacity: {
 *     FARGATE_SPOT: { forMs: 600000 },                     // no spot capacity for 10 simulated minutes
 *     FARGATE: { probability: 0.2, until: "2026-01-01T01:00:00Z" },  // 20 % of on-demand launches fail until then
 *   }
 *
 * Per provider: `probability` (default 1 = every launch fails; drawn from the seed otherwise),
 * for how long (`until` a time, or `forMs` from when it is set; neither = until cleared), and
 * optionally only in one `account` / `region`. A refused task is a RunTask `failures` entry with
 * "Capacity is unavailable at this time. ..." and no ARN. Nothing falls back to another
 * provider: Fargate never replaces spot capacity with on-demand.
 */
const ShortageSchema = z
  .object({
    probability: z.number().min(0).max(1).default(1),
    until: z.union([z.string().datetime({ offset: true }), z.number().int().min(0)]).optional(),
    forMs: z.number().int().min(0).optional(),
    account: z.string().regex(/^\d{12}$/, "account must be 12 digits").optional(),
    region: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => !(s.until !== undefined && s.forMs !== undefined), { message: "give either until or forMs, not both" });

/** The config section and the PUT body: a provider set to null has its shortage cleared; absent ones keep theirs. */
export const CapacityConfigSchema = z
  .object({
    FARGATE_SPOT: ShortageSchema.nullable().optional(),
    FARGATE: ShortageSchema.nullable().optional(),
  })
  .strict();

export type ShortageInput = z.input<typeof ShortageSchema>;
export type CapacityConfig = z.infer<typeof CapacityConfigSchema>;
export type CapacityConfigInput = z.input<typeof CapacityConfigSchema>;

export class CapacityConfigError extends ConfigError {}

export function parseCapacityConfig(input: unknown): CapacityConfig {
  const result = CapacityConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new CapacityConfigError(`invalid capacity configuration: ${formatZodIssues(result.error)}`);
  return result.data;
}

interface Shortage {
  probability: number;
  untilMs?: number;
  account?: string;
  region?: string;
  sinceMs: number;
}

export interface ShortageView {
  probability: number;
  until?: string;
  untilMs?: number;
  account?: string;
  region?: string;
  since: string;
  /** Whether it still applies now (a shortage with an `until` in the past has ended). */
  active: boolean;
}

export interface CapacityView {
  now: string;
  shortages: Partial<Record<FargateProvider, ShortageView>>;
  /** Launches refused for lack of capacity since start or reset, per provider. */
  refused: Record<FargateProvider, number>;
}

export interface CapacityShortagesDeps {
  clock: Clock;
  logger: Logger;
  /** A stream of its own, so polling or other faults never change which launches fail. */
  random: SeededRandom;
  config: CapacityConfig;
}

export class CapacityShortages implements CapacityGate {
  private readonly shortages = new Map<FargateProvider, Shortage>();
  private readonly refused: Record<FargateProvider, number> = { FARGATE: 0, FARGATE_SPOT: 0 };

  constructor(private readonly deps: CapacityShortagesDeps) {
    this.apply(deps.config);
  }

  check(scope: Scope, provider: string): string | undefined {
    const s = this.shortages.get(provider as FargateProvider);
    if (!s || !this.active(s)) return undefined;
    if (s.account && s.account !== scope.account) return undefined;
    if (s.region && s.region !== scope.region) return undefined;
    if (!this.deps.random.chance(s.probability)) return undefined;
    this.refused[provider as FargateProvider]++;
    this.deps.logger.debug(`no ${provider} capacity for a launch`, { account: scope.account, region: scope.region });
    return Messages.capacityUnavailable;
  }

  /** Sets or clears shortages per provider (null clears; providers left out keep theirs). Throws CapacityConfigError. */
  set(patch: CapacityConfigInput): CapacityView {
    this.apply(parseCapacityConfig(patch));
    return this.view();
  }

  /** Ends every shortage. */
  clear(): CapacityView {
    this.shortages.clear();
    this.deps.logger.info("capacity shortages cleared");
    return this.view();
  }

  view(): CapacityView {
    const shortages: CapacityView["shortages"] = {};
    for (const [provider, s] of this.shortages) {
      shortages[provider] = {
        probability: s.probability,
        ...(s.untilMs !== undefined ? { until: new Date(s.untilMs).toISOString(), untilMs: s.untilMs } : {}),
        ...(s.account ? { account: s.account } : {}),
        ...(s.region ? { region: s.region } : {}),
        since: new Date(s.sinceMs).toISOString(),
        active: this.active(s),
      };
    }
    return { now: new Date(this.deps.clock.now()).toISOString(), shortages, refused: { ...this.refused } };
  }

  /** Back to the configured shortages (relative `forMs` counted from now) and zero counters. */
  reset(): void {
    this.shortages.clear();
    this.refused.FARGATE = 0;
    this.refused.FARGATE_SPOT = 0;
    this.apply(this.deps.config);
  }

  private apply(config: CapacityConfig): void {
    const now = this.deps.clock.now();
    for (const provider of FARGATE_PROVIDERS) {
      const entry = config[provider];
      if (entry === undefined) continue;
      if (entry === null) {
        this.shortages.delete(provider);
        this.deps.logger.info(`capacity shortage for ${provider} cleared`);
        continue;
      }
      const untilMs =
        entry.forMs !== undefined ? now + entry.forMs : typeof entry.until === "string" ? Date.parse(entry.until) : entry.until;
      const s: Shortage = {
        probability: entry.probability,
        ...(untilMs !== undefined ? { untilMs } : {}),
        ...(entry.account ? { account: entry.account } : {}),
        ...(entry.region ? { region: entry.region } : {}),
        sinceMs: now,
      };
      this.shortages.set(provider, s);
      this.deps.logger.info(`capacity shortage for ${provider} set`, {
        probability: s.probability,
        ...(untilMs !== undefined ? { until: new Date(untilMs).toISOString() } : {}),
      });
    }
  }

  private active(s: Shortage): boolean {
    return s.untilMs === undefined || this.deps.clock.now() < s.untilMs;
  }
}
