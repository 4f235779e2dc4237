import type { InjectOptions } from "fastify";
import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, useVirtualSim } from "../helpers/sim.js";

/** The helper sims run `--quota-profile unlimited`. */
let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

async function raw(method: InjectOptions["method"], url: string, payload?: string): Promise<{ status: number; body: any }> {
  const res = await sim.simulator.app.inject({
    method,
    url,
    ...(payload !== undefined ? { headers: { "content-type": "application/json" }, payload } : {}),
  } as InjectOptions);
  return { status: res.statusCode, body: res.json() };
}

const SHAPE = { error: expect.any(String), message: expect.any(String) };

describe("admin API errors", () => {
  it("invalid JSON is a 400 in the admin shape on every route that takes a body", async () => {
    for (const [method, url] of [
      ["POST", "/_sim/clock/advance"],
      ["PUT", "/_sim/quotas"],
      ["PUT", "/_sim/spot"],
      ["PUT", "/_sim/capacity"],
      ["POST", "/_sim/spot/interruptions"],
    ] as const) {
      const res = await raw(method, url, "{not json");
      expect(res.status, url).toBe(400);
      expect(res.body, url).toEqual({ error: "BadRequest", message: expect.any(String) });
    }
  });

  it("a deeply nested admin body is a 400, not a stack overflow", async () => {
    const res = await raw("PUT", "/_sim/quotas", `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "BadRequest", message: expect.stringContaining("nested") });
  });

  it("an unknown /_sim route is a 404 in the same shape", async () => {
    for (const [method, url] of [
      ["GET", "/_sim/nope"],
      ["POST", "/_sim/health"],
      ["DELETE", "/_sim/events"],
    ] as const) {
      const res = await raw(method, url);
      expect(res.status, url).toBe(404);
      expect(res.body).toEqual({ error: "NotFound", message: `No route for ${method} ${url}` });
    }
    const task = await raw("GET", "/_sim/tasks/none/logs");
    expect(task).toEqual({ status: 404, body: { error: "NotFound", message: expect.any(String) } });
  });

  it("an oversized admin body is a 413 in the same shape", async () => {
    const res = await raw("PUT", "/_sim/quotas", JSON.stringify({ x: "y".repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: "PayloadTooLarge", message: expect.any(String) });
  });

  it("validation failures keep the shape", async () => {
    const advance = await raw("POST", "/_sim/clock/advance", JSON.stringify({ ms: -1 }));
    expect(advance).toEqual({ status: 400, body: { error: "BadRequest", message: expect.any(String) } });
    const quotas = await raw("PUT", "/_sim/quotas", JSON.stringify({ vcpu: { spot: "many" } }));
    expect(quotas).toEqual({ status: 400, body: SHAPE });
    expect(quotas.body.error).toBe("BadRequest");
  });
});

describe("limits routes under --quota-profile unlimited", () => {
  it("GET /_sim/quotas, /_sim/usage and /_sim/throttles answer", async () => {
    const quotas = await admin(sim, "GET", "/_sim/quotas");
    expect(quotas.status).toBe(200);
    expect(quotas.body).toMatchObject({ profile: "unlimited", effective: { vcpu: { onDemand: null, spot: null } } });
    expect((await admin(sim, "GET", "/_sim/usage")).status).toBe(200);
    expect(await admin(sim, "GET", "/_sim/throttles")).toEqual({ status: 200, body: { decisions: [], count: 0 } });
  });

  it("PUT /_sim/quotas imposes a limit even under unlimited", async () => {
    const put = await admin(sim, "PUT", "/_sim/quotas", { buckets: { "cluster-read": { burst: 1, sustained: 0 } } });
    expect(put.status).toBe(200);
    const target = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeClusters" };
    const first = await sim.simulator.app.inject({ method: "POST", url: "/", headers: target, payload: "{}" });
    const second = await sim.simulator.app.inject({ method: "POST", url: "/", headers: target, payload: "{}" });
    expect([first.statusCode, second.statusCode]).toEqual([200, 400]);
    expect(second.json().__type).toBe("ThrottlingException");
  });
});
