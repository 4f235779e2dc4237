import { describe, expect, it } from "vitest";
import { encodeBody } from "../../src/api/protocol.js";

describe("encodeBody", () => {
  it("writes every Date, however deep, as epoch seconds and leaves Date's own JSON alone afterwards", () => {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 250));
    const body = encodeBody({ createdAt: at, tasks: [{ containers: [{ at }], name: "x" }], n: 1 });
    expect(JSON.parse(body)).toEqual({ createdAt: 1767225600.25, tasks: [{ containers: [{ at: 1767225600.25 }], name: "x" }], n: 1 });
    expect(JSON.stringify({ at })).toBe('{"at":"2026-01-01T00:00:00.250Z"}');
  });

  it("restores Date's JSON even when encoding throws", () => {
    const cyclic: Record<string, unknown> = { at: new Date(0) };
    cyclic.self = cyclic;
    expect(() => encodeBody(cyclic)).toThrow();
    expect(JSON.stringify(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });
});

describe("read answers in-process", () => {
  it("DescribeTasks through invoke hands out a copy the caller may change without touching the store", async () => {
    const { virtualSim, FARGATE_DEF, AWSVPC, ok } = await import("../helpers/sim.js");
    const sim = await virtualSim();
    try {
      await ok(sim, "CreateCluster", {});
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      const run = await ok(sim, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
      const arn = run.tasks[0].taskArn;
      const first = (await sim.simulator.invoke("DescribeTasks", { tasks: [arn] })) as { tasks: { containers: { name: string }[] }[] };
      first.tasks[0]!.containers[0]!.name = "changed";
      const again = await ok(sim, "DescribeTasks", { tasks: [arn] });
      expect(again.tasks[0].containers[0].name).toBe("app");
    } finally {
      await sim.close();
    }
  });
});
