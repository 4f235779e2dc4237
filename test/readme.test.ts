import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECS_OPERATIONS } from "../src/api/operation.js";
import type { RunningSimulator } from "../src/index.js";
import { renderBucketTableMarkdown } from "../src/quotas/index.js";
import { BEHAVIOR_ENV } from "../src/runtime/simulated/behavior.js";
import { call, virtualSim } from "./helpers/sim.js";

/** The README is part of the product: its tables are checked against what the code does. */
const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");

function section(name: string): string {
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme);
  if (!m) throw new Error(`README section ${name} is missing`);
  return m[1]!;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await virtualSim();
});
afterAll(async () => {
  await sim.close();
});

/** How the simulator answers an operation called with an empty body. */
async function statusOf(op: string): Promise<string> {
  const res = await call(sim, op, {});
  if (res.status === 200 || !/does not implement|without container instances/.test(res.body.message)) return "implemented";
  return /without container instances/.test(res.body.message) ? "n/a: no container instances" : "not yet";
}

export async function operationsTable(): Promise<string> {
  const rows = [];
  for (const op of [...ECS_OPERATIONS].sort()) rows.push(`| ${op} | ${await statusOf(op)} |`);
  return ["| Operation | Status |", "|---|---|", ...rows].join("\n");
}

describe("README", () => {
  it("keeps the two-command quick start", () => {
    const quick = section("quickstart");
    expect(quick).toContain("npm ci && npm start");
    expect(quick).toContain("npm ci && npm test");
  });

  it("lists every ECS operation with its real status", async () => {
    expect(section("operations")).toBe(await operationsTable());
  });

  it("lists every ECS_SIM_* variable a simulated container understands, and no other", () => {
    const rows = section("simulated-env")
      .split("\n")
      .map((line) => /^\| `(ECS_SIM_[A-Z_]+)` \|/.exec(line)?.[1])
      .filter((name) => name !== undefined);
    expect(rows.sort()).toEqual(Object.values(BEHAVIOR_ENV).sort());
  });

  it("shows the throttling buckets the engine enforces", () => {
    expect(section("buckets")).toBe(renderBucketTableMarkdown());
  });
});
