import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import { Simulator, startSimulator, type RunningSimulator } from "../../src/index.js";
import { call } from "../helpers/sim.js";

const TOKEN = "s3cret-admin-token";

describe("binding beyond loopback", () => {
  it("refuses to start without an admin token, naming the variable and the headers", async () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.10"]) {
      const attempt = Simulator.create({ host, runtime: "simulated" });
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(/ECS_SIM_ADMIN_TOKEN.*Authorization: Bearer <token>.*x-ecs-sim-admin-token/);
    }
  });

  it("refuses a token shorter than 8 characters", async () => {
    await expect(Simulator.create({ runtime: "simulated", adminToken: "short" })).rejects.toThrow(/adminToken must be at least 8 characters/);
  });

  it("starts beyond loopback without a token only when told to, and says the admin API is open", async () => {
    const lines: string[] = [];
    const sim = await startSimulator(
      { host: "0.0.0.0", allowUnauthenticatedAdmin: true, runtime: "simulated", logLevel: "warn" },
      { logWrite: (l) => lines.push(l) },
    );
    try {
      expect(lines.find((l) => l.includes("listening on 0.0.0.0"))).toContain("is open to them too (no admin token)");
      expect((await sim.simulator.app.inject({ method: "GET", url: "/_sim/state" })).statusCode).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it("starts on loopback without a token", async () => {
    const sim = await Simulator.create({ host: "127.0.0.1", runtime: "simulated" });
    await sim.close();
  });

  it("warns with the addresses it is really reachable at", async () => {
    const lines: string[] = [];
    const sim = await startSimulator({ host: "0.0.0.0", adminToken: TOKEN, runtime: "simulated", logLevel: "warn" }, { logWrite: (l) => lines.push(l) });
    try {
      const warning = lines.find((l) => l.includes("listening on 0.0.0.0"));
      expect(warning).toMatch(new RegExp(`WARN .*listening on 0\\.0\\.0\\.0:${sim.port}, beyond this machine: reachable at http://`));
      expect(warning).toContain("requires the admin token");
    } finally {
      await sim.close();
    }
  });
});

describe("the admin token", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", adminToken: TOKEN });
  });
  afterAll(async () => {
    await sim.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => sim.simulator.app.inject({ method: "GET", url, headers });

  it("is required on every admin route but the health check", async () => {
    expect((await get("/_sim/health")).statusCode).toBe(200);
    const res = await get("/_sim/state");
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toContain("Bearer");
    expect(res.json()).toEqual({
      error: "Unauthorized",
      message: 'The admin API needs the admin token: send "Authorization: Bearer <token>" or "x-ecs-sim-admin-token: <token>".',
    });
    const reset = await sim.simulator.app.inject({ method: "POST", url: "/_sim/reset" });
    expect(reset.statusCode).toBe(401);
    expect((await get("/_sim/state", { authorization: "Bearer wrong-token-value" })).statusCode).toBe(401);
    expect((await get("/_sim/state", { "x-ecs-sim-admin-token": TOKEN.slice(0, -1) })).statusCode).toBe(401);
  });

  it("is accepted as a bearer token or in x-ecs-sim-admin-token", async () => {
    expect((await get("/_sim/state", { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect((await get("/_sim/state", { "x-ecs-sim-admin-token": TOKEN })).statusCode).toBe(200);
  });

  it("cannot be sidestepped by spelling the path differently", async () => {
    await call(sim, "CreateCluster", { clusterName: "keep" });
    for (const url of ["/%5Fsim/reset", "/_sim/reset?x=1", "/_sim//reset", "/_SIM/reset"]) {
      const res = await sim.simulator.app.inject({ method: "POST", url });
      expect(res.statusCode, url).not.toBe(200);
    }
    const clusters = (await call(sim, "ListClusters")).body.clusterArns;
    expect(clusters).toContain("arn:aws:ecs:us-east-1:000000000000:cluster/keep");
  });

  it("is not needed by the ECS API", async () => {
    expect((await call(sim, "ListClusters")).status).toBe(200);
  });
});
