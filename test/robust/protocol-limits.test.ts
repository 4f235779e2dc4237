import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, call, ok, useVirtualSim, virtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

/** `{"a":{"a":...}}` as text: JSON.stringify itself overflows the stack on such values. */
function nestedText(depth: number): string {
  return `${'{"a":'.repeat(depth)}"x"${"}".repeat(depth)}`;
}

function nested(depth: number): unknown {
  return JSON.parse(nestedText(depth));
}

describe("JSON limits at the protocol layer", () => {
  it("a 10,000-level value in CreateCluster.configuration is a 400 that creates nothing", async () => {
    const before = (await admin(sim, "GET", "/_sim/state")).body;
    const res = await call(sim, "CreateCluster", `{"clusterName":"deep","configuration":{"executeCommandConfiguration":${nestedText(10_000)}}}`);
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("SerializationException");
    expect(res.body.message).toMatch(/nest/i);
    const after = await admin(sim, "GET", "/_sim/state");
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    const described = await call(sim, "DescribeClusters", { clusters: ["deep"], include: ["CONFIGURATIONS"] });
    expect(described.status).toBe(200);
    expect(described.body.clusters).toEqual([]);
  });

  it("nesting within the limit is accepted and unknown configuration members are not stored", async () => {
    await ok(sim, "CreateCluster", { clusterName: "shallow", configuration: { junk: nested(20), executeCommandConfiguration: { logging: "DEFAULT" } } });
    const described = await ok(sim, "DescribeClusters", { clusters: ["shallow"], include: ["CONFIGURATIONS"] });
    expect(described.clusters[0].configuration).toEqual({ executeCommandConfiguration: { logging: "DEFAULT" } });
    expect((await admin(sim, "GET", "/_sim/state")).status).toBe(200);
  });

  it("deep arrays anywhere in the body are refused the same way", async () => {
    const body = `{"clusterName":"arr","tags":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const res = await call(sim, "CreateCluster", body);
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("SerializationException");
  });

  it("brackets inside strings do not count as nesting", async () => {
    await ok(sim, "CreateCluster", {
      clusterName: "strings",
      configuration: { executeCommandConfiguration: { kmsKeyId: "[[[[{{{{\\\"".repeat(20) } },
    });
  });
});

describe("operation names are own keys", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
    it(`${name} is an UnknownOperationException and takes no token`, async () => {
      const res = await call(sim, name);
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("UnknownOperationException");
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|stack/i);
    });
  }

  it("a refused name consumes no rate bucket", async () => {
    const limited = await virtualSim({ quotas: { profile: "aws-default" } });
    try {
      for (const name of ["constructor", "toString", "__proto__"]) await call(limited, name);
      expect((await admin(limited, "GET", "/_sim/usage")).body.buckets).toEqual([]);
      expect((await call(limited, "ListClusters")).status).toBe(200);
      expect((await admin(limited, "GET", "/_sim/usage")).body.buckets).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it("the same names on the Logs target are refused as unknown", async () => {
    const res = await sim.simulator.app.inject({
      method: "POST",
      url: "/",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.constructor" },
      payload: "{}",
    });
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe("a refused call leaves nothing behind", () => {
  for (const [operation, body] of [
    ["StopTask", { task: "0123456789abcdef" }],
    ["DescribeTasks", { tasks: ["0123456789abcdef"] }],
    ["ListTasks", {}],
    ["ListServices", {}],
    ["DescribeServices", { services: ["s"] }],
    ["UpdateService", { service: "s", desiredCount: 1 }],
  ] as const) {
    it(`${operation} without a cluster, when default does not exist, is ClusterNotFoundException and creates no cluster`, async () => {
      const res = await call(sim, operation, body);
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("ClusterNotFoundException");
      expect((await admin(sim, "GET", "/_sim/state")).body.regions.flatMap((r: { clusters: unknown[] }) => r.clusters)).toEqual([]);
    });
  }
});
