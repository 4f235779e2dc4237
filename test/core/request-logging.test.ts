import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/core/logger.js";
import { startSimulator } from "../../src/index.js";
import { call } from "../helpers/sim.js";

/** What the per-request log line says at each level: pollers must not flood the default output. */
async function linesAt(logLevel: "info" | "debug"): Promise<string[]> {
  const lines: string[] = [];
  const sim = await startSimulator(
    { runtime: "simulated", clock: "virtual", logLevel, quotas: { profile: "aws-default", overrides: { buckets: { "cluster-resource-read": { burst: 3, sustained: 1 } } } } },
    { logWrite: (l) => lines.push(l) },
  );
  try {
    await call(sim, "CreateCluster", { clusterName: "c" });
    for (let i = 0; i < 5; i++) await call(sim, "DescribeTasks", { cluster: "c", tasks: ["0123456789abcdef0123456789abcdef"] });
    await call(sim, "ListTasks", { cluster: "c" });
    await call(sim, "DeleteCluster", { cluster: "c" });
  } finally {
    await sim.close();
  }
  return lines;
}

describe("per-request log lines", () => {
  it("the default level is info", () => {
    expect(parseConfig({}).logLevel).toBe("info");
  });

  it("at info: changes and limit refusals, not the reads a poller repeats", async () => {
    const lines = await linesAt("info");
    expect(lines.some((l) => / INFO  CreateCluster 200 /.test(l))).toBe(true);
    expect(lines.some((l) => / INFO  DeleteCluster 200 /.test(l))).toBe(true);
    expect(lines.some((l) => /limit refused: DescribeTasks/.test(l))).toBe(true);
    expect(lines.filter((l) => /(DescribeTasks|ListTasks) \d{3}/.test(l))).toEqual([]);
  });

  it("at debug: every read too", async () => {
    const lines = await linesAt("debug");
    expect(lines.filter((l) => / DEBUG DescribeTasks 200 /.test(l))).toHaveLength(3);
    expect(lines.filter((l) => / DEBUG DescribeTasks 400 ThrottlingException /.test(l))).toHaveLength(2);
    expect(lines.some((l) => / DEBUG ListTasks \d{3} /.test(l))).toBe(true);
  });

  it("a logger tells which levels it would write, so a dropped line costs nothing to build", () => {
    const logger = createLogger({ level: "info", format: "text", now: () => 0, write: () => undefined });
    expect([logger.enabled!("debug"), logger.enabled!("info"), logger.enabled!("error")]).toEqual([false, true, true]);
  });
});
