import { describe, expect, it } from "vitest";
import { EventBus } from "../../src/core/events.js";
import { VirtualClock } from "../../src/core/clock.js";
import { SeededRandom } from "../../src/core/random.js";
import {
  LimitsEngine,
  QuotasConfigError,
  createQuotaGate,
  parseQuotasConfig,
  quotasSummary,
  resolveQuotaValues,
} from "../../src/quotas/index.js";
import { DEFAULT_STATIC_LIMITS } from "../../src/quotas/types.js";
import { SCOPE, START, burst, makeEngine } from "./helpers.js";

const deps = () => ({ clock: new VirtualClock(START), random: new SeededRandom(1), bus: new EventBus() });

describe("quotas config", () => {
  it("defaults to aws-default with AWS's documented numbers", () => {
    const c = parseQuotasConfig(undefined);
    expect(c.profile).toBe("aws-default");
    const v = resolveQuotaValues(c, SCOPE.account, SCOPE.region);
    expect(v.vcpu).toEqual({ onDemand: 6, spot: 6 });
    expect(v.registrationWindowMs).toBe(80);
    expect(v.buckets["cluster-read"]).toEqual({ burst: 50, sustained: 20 });
    expect(v.static).toEqual(DEFAULT_STATIC_LIMITS);
  });

  it("rejects unknown keys, unknown buckets and bad numbers with the path", () => {
    expect(() => parseQuotasConfig({ profile: "huge" })).toThrow(QuotasConfigError);
    expect(() => parseQuotasConfig({ overrides: { buckets: { "no-such": { burst: 1 } } } })).toThrow(/no-such/);
    expect(() => parseQuotasConfig({ overrides: { vcpu: { spot: -1 } } })).toThrow(/overrides\.vcpu\.spot/);
    expect(() => parseQuotasConfig({ chaos: { RunTask: { throttleProbability: 0.7, serverErrorProbability: 0.7 } } })).toThrow(
      /must not exceed 1/,
    );
    expect(() => parseQuotasConfig({ typo: 1 })).toThrow(QuotasConfigError);
  });

  it("has no capacity knob any more: shortages live in the capacity section", () => {
    expect(() => parseQuotasConfig({ overrides: { capacityUnavailableProbability: { spot: 1 } } })).toThrow(
      /capacityUnavailableProbability.*PUT \/_sim\/capacity/,
    );
    expect(resolveQuotaValues(parseQuotasConfig({}), SCOPE.account, SCOPE.region)).not.toHaveProperty("capacityUnavailableProbability");
  });

  it("partial bucket overrides keep the other field; null turns a bucket off", () => {
    const c = parseQuotasConfig({
      overrides: { buckets: { "cluster-read": { burst: 5 }, "cluster-modify": null } },
    });
    const v = resolveQuotaValues(c, SCOPE.account, SCOPE.region);
    expect(v.buckets["cluster-read"]).toEqual({ burst: 5, sustained: 20 });
    expect(v.buckets["cluster-modify"]).toBeNull();
  });

  it("static limits come from the profile and overrides", () => {
    const { engine } = makeEngine({ overrides: { static: { runTaskMaxCount: 5 } } });
    expect(engine.limits(SCOPE)).toEqual({ ...DEFAULT_STATIC_LIMITS, runTaskMaxCount: 5 });
  });

  it("summarises profile and vCPU quotas in one line", () => {
    expect(quotasSummary(parseQuotasConfig({}))).toBe(
      "quotas: profile aws-default, Fargate vCPU on-demand 6, spot 6, registration window 80 ms",
    );
    const line = quotasSummary(parseQuotasConfig({ profile: "unlimited", chaos: { RunTask: { throttleProbability: 0.1 } } }));
    expect(line).toBe(
      "quotas: profile unlimited, Fargate vCPU on-demand unlimited, spot unlimited, registration window 0 ms, chaos on RunTask",
    );
    expect(line).not.toContain("\n");
  });

  it("createQuotaGate: the engine for every profile, unlimited included", () => {
    expect(createQuotaGate({ profile: "unlimited" }, deps())).toBeInstanceOf(LimitsEngine);
    expect(createQuotaGate(undefined, deps())).toBeInstanceOf(LimitsEngine);
    expect(createQuotaGate({ profile: "unlimited", chaos: { "*": { throttleProbability: 0.01 } } }, deps())).toBeInstanceOf(
      LimitsEngine,
    );
    expect(() => createQuotaGate({ profile: 3 }, deps())).toThrow(QuotasConfigError);
  });

  it("putQuotas is partial, layered and immediate; bad patches throw", () => {
    const { engine } = makeEngine();
    expect(burst(engine, "DescribeClusters", 60)).toBe(50);
    engine.putQuotas({ buckets: { "cluster-read": { burst: 60 } } }, { region: SCOPE.region });
    // Capacity grew but no tokens were handed out.
    expect(burst(engine, "DescribeClusters", 60)).toBe(0);
    expect(engine.getQuotas(SCOPE).effective.buckets["cluster-read"]).toEqual({ burst: 60, sustained: 20 });
    expect(engine.getQuotas().effective.buckets["cluster-read"]).toEqual({ burst: 50, sustained: 20 });
    engine.putQuotas({ buckets: { "cluster-read": null } }, { account: SCOPE.account });
    expect(burst(engine, "DescribeClusters", 500)).toBe(500);
    expect(() => engine.putQuotas({ vcpu: { spot: "many" } } as never)).toThrow(/vcpu\.spot/);
  });

  it("the decision log is bounded and filters by time", async () => {
    const { engine, clock } = makeEngine({ decisionLogSize: 10 });
    burst(engine, "DeleteTaskDefinitions", 20); // 15 refusals
    expect(engine.decisions()).toHaveLength(10);
    expect(engine.usage().decisionsDropped).toBe(5);
    await clock.advance(5000);
    burst(engine, "DeleteTaskDefinitions", 7); // 5 admitted, 2 refused
    expect(engine.decisions(START + 5000)).toHaveLength(2);
    expect(engine.decisions(START + 5001)).toHaveLength(0);
  });

  it("recordAdmissions logs admissions too", () => {
    const { engine, published } = makeEngine({ recordAdmissions: true });
    engine.admitApiCall(SCOPE, "RunTask", "r1");
    expect(published).toEqual([
      expect.objectContaining({ allowed: true, operation: "RunTask", limit: "cluster-resource-modify+fargate-run-task" }),
    ]);
  });
});
