import { describe, expect, it } from "vitest";
import { ThrottlingException } from "../../src/errors/aws-errors.js";
import { Messages } from "../../src/errors/messages.js";
import { SCOPE, launch, makeEngine } from "./helpers.js";

describe("Fargate vCPU quotas", () => {
  it("S3: spot quota 4 fits 4 x 1 vCPU; the fifth gets the exact reason; raising to 5 lets it in", () => {
    const { engine, published } = makeEngine({ overrides: { vcpu: { spot: 4 } } });
    for (let i = 1; i <= 4; i++) expect(engine.reserveLaunch(SCOPE, launch(`t${i}`, "spot"))).toEqual({ ok: true });
    const fifth = engine.reserveLaunch(SCOPE, launch("t5", "spot"));
    expect(fifth).toEqual({ ok: false, reason: Messages.vcpuLimit });
    expect(Messages.vcpuLimit).toBe("You\u2019ve reached the limit on the number of vCPUs you can run concurrently");
    expect(published.at(-1)).toMatchObject({
      kind: "vcpu-quota",
      limit: "Fargate Spot vCPU resource count",
      allowed: false,
      operation: "RunTask",
      requestId: "r-t5",
    });
    // On-demand is a separate quota (default 6).
    expect(engine.reserveLaunch(SCOPE, launch("od1", "on-demand"))).toEqual({ ok: true });

    engine.putQuotas({ vcpu: { spot: 5 } });
    expect(engine.reserveLaunch(SCOPE, launch("t5", "spot"))).toEqual({ ok: true });
    expect(engine.reserveLaunch(SCOPE, launch("t6", "spot")).ok).toBe(false);
  });

  it("release frees the vCPU, is idempotent, and a repeated reserve is not charged twice", () => {
    const { engine } = makeEngine({ overrides: { vcpu: { spot: 2 } } });
    expect(engine.reserveLaunch(SCOPE, launch("a", "spot")).ok).toBe(true);
    expect(engine.reserveLaunch(SCOPE, launch("a", "spot")).ok).toBe(true);
    expect(engine.reserveLaunch(SCOPE, launch("b", "spot")).ok).toBe(true);
    expect(engine.reserveLaunch(SCOPE, launch("c", "spot")).ok).toBe(false);
    engine.release(SCOPE, "a");
    engine.release(SCOPE, "a");
    engine.release(SCOPE, "never-launched");
    expect(engine.reserveLaunch(SCOPE, launch("c", "spot")).ok).toBe(true);
    expect(engine.usage().vcpu).toEqual([
      { account: SCOPE.account, region: SCOPE.region, vcpuClass: "spot", inUse: 2, tasks: 2, quota: 2 },
    ]);
  });

  it("counts task-level vCPU, fractional sizes included (default quota 6)", () => {
    const { engine } = makeEngine();
    for (let i = 0; i < 24; i++) expect(engine.reserveLaunch(SCOPE, launch(`q${i}`, "on-demand", 0.25, 512)).ok).toBe(true);
    expect(engine.reserveLaunch(SCOPE, launch("q24", "on-demand", 0.25, 512))).toEqual({
      ok: false,
      reason: Messages.vcpuLimit,
    });
  });

  it("a task larger than the whole quota gets cpuAboveLimit; memory cap gives memoryAboveLimit", () => {
    const { engine } = makeEngine({ overrides: { maxTaskMemoryMiB: 8192 } });
    expect(engine.reserveLaunch(SCOPE, launch("big", "on-demand", 8, 16384))).toEqual({
      ok: false,
      reason: Messages.cpuAboveLimit,
    });
    expect(engine.reserveLaunch(SCOPE, launch("fat", "on-demand", 4, 16384))).toEqual({
      ok: false,
      reason: Messages.memoryAboveLimit,
    });
    expect(engine.reserveLaunch(SCOPE, launch("ok", "on-demand", 4, 8192)).ok).toBe(true);
  });

  it("quotas are per account and Region, with per-layer overrides", () => {
    const { engine } = makeEngine({
      overrides: { vcpu: { onDemand: 1 } },
      regions: { "eu-west-1": { vcpu: { onDemand: 2 } } },
      accounts: { "210987654321": { regions: { "eu-west-1": { vcpu: { onDemand: 3 } } } } },
    });
    const eu = { ...SCOPE, region: "eu-west-1" };
    const other = { account: "210987654321", region: "eu-west-1" };
    expect(engine.reserveLaunch(SCOPE, launch("a1", "on-demand")).ok).toBe(true);
    expect(engine.reserveLaunch(SCOPE, launch("a2", "on-demand")).ok).toBe(false);
    expect(engine.reserveLaunch(eu, launch("b1", "on-demand")).ok).toBe(true);
    expect(engine.reserveLaunch(eu, launch("b2", "on-demand")).ok).toBe(true);
    expect(engine.reserveLaunch(eu, launch("b3", "on-demand")).ok).toBe(false);
    for (let i = 0; i < 3; i++) expect(engine.reserveLaunch(other, launch(`c${i}`, "on-demand")).ok).toBe(true);
    expect(engine.reserveLaunch(other, launch("c3", "on-demand")).ok).toBe(false);
  });

  it("established has 4000 vCPU per class; unlimited has no quota", () => {
    const est = makeEngine({ profile: "established" }).engine;
    expect(est.getQuotas().effective.vcpu).toEqual({ onDemand: 4000, spot: 4000 });
    const unl = makeEngine({ profile: "unlimited" }).engine;
    expect(unl.reserveLaunch(SCOPE, launch("x", "spot", 16, 122880)).ok).toBe(true);
  });

  it("launch bucket: 100 burst then 20/s per class; failure by default, ThrottlingException if configured", async () => {
    const { engine, clock, published } = makeEngine({ profile: "established" });
    let ok = 0;
    for (let i = 0; i < 120; i++) if (engine.reserveLaunch(SCOPE, launch(`s${i}`, "spot", 0.25)).ok) ok++;
    expect(ok).toBe(100);
    expect(engine.reserveLaunch(SCOPE, launch("late", "spot", 0.25))).toEqual({
      ok: false,
      reason: Messages.fargateLaunchRateExceeded,
    });
    expect(published.at(-1)).toMatchObject({ kind: "throttle", limit: "fargate-launch-spot" });
    // On-demand has its own bucket.
    expect(engine.reserveLaunch(SCOPE, launch("od", "on-demand", 0.25)).ok).toBe(true);
    await clock.advance(1000);
    ok = 0;
    for (let i = 0; i < 30; i++) if (engine.reserveLaunch(SCOPE, launch(`s2-${i}`, "spot", 0.25)).ok) ok++;
    expect(ok).toBe(20);

    engine.putQuotas({ launchRateExceeded: "throttle" });
    expect(() => engine.reserveLaunch(SCOPE, launch("thr", "spot", 0.25))).toThrow(ThrottlingException);
    // A refused launch holds no vCPU.
    expect(engine.usage().vcpu.find((r) => r.vcpuClass === "spot")?.tasks).toBe(120);
  });

  it("a vCPU refusal takes no launch token", () => {
    const { engine } = makeEngine({ overrides: { vcpu: { spot: 0.25 }, buckets: { "fargate-launch-spot": { burst: 2 } } } });
    expect(engine.reserveLaunch(SCOPE, launch("a", "spot", 0.25)).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect(engine.reserveLaunch(SCOPE, launch(`b${i}`, "spot", 0.25)).ok).toBe(false);
    engine.release(SCOPE, "a");
    expect(engine.reserveLaunch(SCOPE, launch("c", "spot", 0.25)).ok).toBe(true);
  });

  it("reset drops reservations, bucket levels, windows, decisions and run-time overrides; configured quotas stay", () => {
    const { engine } = makeEngine({ overrides: { vcpu: { spot: 1 } } });
    const configured = engine.getQuotas(SCOPE).effective.vcpu;
    engine.reserveLaunch(SCOPE, launch("a", "spot"));
    engine.reserveLaunch(SCOPE, launch("b", "spot"));
    engine.admitRegistration(SCOPE, "fam", "r");
    engine.putQuotas({ vcpu: { onDemand: 2 } });
    engine.reset();
    expect(engine.usage()).toMatchObject({ vcpu: [], buckets: [], registrationWindows: [] });
    expect(engine.decisions()).toEqual([]);
    expect(engine.getQuotas(SCOPE).effective.vcpu).toEqual(configured);
    expect(configured.spot).toBe(1);
    expect(engine.reserveLaunch(SCOPE, launch("b", "spot")).ok).toBe(true);
  });
});
