import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config.js";
import { Simulator } from "../src/simulator.js";

/** With no engine answering, `auto` falls back with a warning and `docker` refuses to start. */
describe("runtime choice without a Docker engine", () => {
  const saved = process.env["DOCKER_HOST"];
  beforeEach(() => {
    process.env["DOCKER_HOST"] = "unix:///nonexistent/ecs-sim-test.sock";
  });
  afterEach(() => {
    if (saved === undefined) delete process.env["DOCKER_HOST"];
    else process.env["DOCKER_HOST"] = saved;
  });

  it("auto falls back to the simulated runtime and says so", async () => {
    const lines: string[] = [];
    const sim = await Simulator.create({ runtime: "auto", logLevel: "warn" }, { logWrite: (l) => lines.push(l) });
    try {
      expect(sim.runtimeKind).toBe("simulated");
      expect(lines.join("\n")).toContain("no Docker engine answers");
    } finally {
      await sim.close();
    }
  });

  it("docker refuses to start, naming the problem", async () => {
    const err = await Simulator.create({ runtime: "docker" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("no Docker engine answers");
  });
});
