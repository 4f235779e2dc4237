import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";

/**
 * boto3 against the Application Auto Scaling and CloudWatch endpoints, with every boto3 the
 * machine has: Debian's (query protocol to CloudWatch) and a current one (Smithy RPC v2 CBOR).
 * Skipped visibly when none is installed; mandatory in CI (ECS_SIM_REQUIRE_INTEROP=1).
 */
const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "boto3_autoscaling.py");
const required = process.env["ECS_SIM_REQUIRE_INTEROP"] === "1";

function botocoreOf(python: string): string | undefined {
  try {
    return execFileSync(python, ["-c", "import boto3, botocore; print(botocore.__version__)"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

const pythons = [...new Map(["/usr/bin/python3", "python3"].map((p) => [botocoreOf(p), p] as const)).entries()].filter(([v]) => v !== undefined);
if (pythons.length === 0) {
  if (required) throw new Error("ECS_SIM_REQUIRE_INTEROP=1 but no python3 with boto3 was found");
  console.warn("boto3 autoscaling tests skipped: no python3 with boto3 (apt-get install python3-boto3).");
}

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe.each(pythons)("boto3 (botocore %s) with Application Auto Scaling and CloudWatch", (_version, python) => {
  it("registers a target, scales from a CloudWatch alarm on published metrics, and reads them back", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 3, quotas: { profile: "established" } });
    const { stdout } = await run(python, [SCRIPT, sim.endpoint], { timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(["query", "smithy-rpc-v2-cbor", "json"]).toContain(out.protocol);
    expect(out.notFound).toBe("No scalable target registered for service namespace: ecs, resource ID: service/py/worker, scalable dimension: ecs:service:DesiredCount");
    expect(out.datapoints).toEqual([{ Average: 50, Maximum: 60, Timestamp: "2026-01-01T00:00:00+00:00" }]);
    expect(out.sum).toEqual([100]);
    expect(out).toMatchObject({ alarm: "ALARM", desired: 3, activity: "Setting desired count to 3.", deleteMissing: "ResourceNotFound" });
    // Query answers carry the query code; CBOR clients read the shape name (or the x-amzn-query-error header).
    expect(out.badPeriod).toMatch(/^InvalidParameterValue(Exception)?$/);
  });
});
