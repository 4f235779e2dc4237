import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { registerQuotaAdminRoutes } from "../../src/api/admin/quotas.js";
import { SCOPE, START, launch, makeEngine } from "./helpers.js";

function appWith(config = {}) {
  const ctx = makeEngine(config);
  const app = Fastify();
  registerQuotaAdminRoutes(app, ctx.engine);
  apps.push(app);
  return { ...ctx, app };
}
const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

describe("admin routes", () => {
  it("GET /_sim/quotas shows the profile and effective values, per scope", async () => {
    const { app } = appWith({ regions: { "eu-west-1": { vcpu: { spot: 2 } } } });
    const res = await app.inject({ method: "GET", url: "/_sim/quotas" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ profile: "aws-default", effective: { vcpu: { onDemand: 6, spot: 6 } } });
    const eu = await app.inject({ method: "GET", url: "/_sim/quotas?region=eu-west-1" });
    expect(eu.json()).toMatchObject({ region: "eu-west-1", effective: { vcpu: { spot: 2 } } });
  });

  it("PUT /_sim/quotas applies a partial patch at once", async () => {
    const { app, engine } = appWith({ overrides: { vcpu: { spot: 4 } } });
    for (let i = 0; i < 4; i++) engine.reserveLaunch(SCOPE, launch(`t${i}`, "spot"));
    expect(engine.reserveLaunch(SCOPE, launch("t4", "spot")).ok).toBe(false);
    const res = await app.inject({
      method: "PUT",
      url: "/_sim/quotas",
      payload: { account: SCOPE.account, region: SCOPE.region, vcpu: { spot: 5 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ account: SCOPE.account, region: SCOPE.region, effective: { vcpu: { spot: 5 } } });
    expect(engine.reserveLaunch(SCOPE, launch("t4", "spot")).ok).toBe(true);
  });

  it("PUT /_sim/quotas rejects bad input with 400 and a clear message", async () => {
    const { app } = appWith();
    const bad = await app.inject({ method: "PUT", url: "/_sim/quotas", payload: { vcpu: { spot: "lots" } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: "BadRequest" });
    expect(bad.json().message).toMatch(/^invalid quotas patch: vcpu\.spot: /);
    const unknown = await app.inject({ method: "PUT", url: "/_sim/quotas", payload: { buckets: { nope: { burst: 1 } } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('unknown bucket "nope"');
    const arr = await app.inject({ method: "PUT", url: "/_sim/quotas", payload: [1, 2] });
    expect(arr.statusCode).toBe(400);
  });

  it("GET /_sim/usage reports vCPU, buckets and windows", async () => {
    const { app, engine } = appWith();
    engine.reserveLaunch(SCOPE, launch("a", "spot", 2));
    engine.admitApiCall(SCOPE, "DescribeTasks", "r");
    engine.admitRegistration(SCOPE, "fam", "r");
    const res = await app.inject({ method: "GET", url: "/_sim/usage" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.vcpu).toEqual([{ account: SCOPE.account, region: SCOPE.region, vcpuClass: "spot", inUse: 2, tasks: 1, quota: 6 }]);
    expect(body.buckets).toEqual(
      expect.arrayContaining([
        { account: SCOPE.account, region: SCOPE.region, bucket: "cluster-resource-read", tokens: 99, burst: 100, sustained: 20 },
        { account: SCOPE.account, region: SCOPE.region, bucket: "fargate-launch-spot", tokens: 99, burst: 100, sustained: 20 },
      ]),
    );
    expect(body.registrationWindows).toEqual([
      { account: SCOPE.account, region: SCOPE.region, family: "fam", remainingMs: 80 },
    ]);
  });

  it("GET /_sim/throttles lists refusals, filtered by ?since=", async () => {
    const { app, engine, clock } = appWith();
    engine.admitRegistration(SCOPE, "fam", "r0");
    expect(() => engine.admitRegistration(SCOPE, "fam", "r1")).toThrow();
    await clock.advance(10);
    expect(() => engine.admitRegistration(SCOPE, "fam", "r2")).toThrow();
    const all = await app.inject({ method: "GET", url: "/_sim/throttles" });
    expect(all.json().count).toBe(2);
    expect(all.json().decisions[0]).toEqual({
      time: START,
      account: SCOPE.account,
      region: SCOPE.region,
      operation: "RegisterTaskDefinition",
      kind: "contention",
      limit: "registration-window",
      allowed: false,
      requestId: "r1",
      detail: "family fam",
    });
    const since = await app.inject({ method: "GET", url: `/_sim/throttles?since=${START + 10}` });
    expect(since.json().decisions.map((d: { requestId: string }) => d.requestId)).toEqual(["r2"]);
    const bad = await app.inject({ method: "GET", url: "/_sim/throttles?since=yesterday" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain("since must be epoch milliseconds");
  });
});
