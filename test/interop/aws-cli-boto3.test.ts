import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";

/**
 * The AWS CLI v2 and boto3 against a listening simulator: their own serializers, error parsers
 * and waiters, not ours. Debian's awscli (v2) and python3-boto3 predate AWS_ENDPOINT_URL_ECS, so
 * the endpoint goes in as --endpoint-url / endpoint_url. Skipped visibly when the tools are
 * missing; .ci/run installs them and sets ECS_SIM_REQUIRE_INTEROP=1.
 */
const run = promisify(execFile);
const required = process.env["ECS_SIM_REQUIRE_INTEROP"] === "1";

function findAwsV2(): string | undefined {
  for (const candidate of ["/usr/bin/aws", "aws"]) {
    try {
      if (/^aws-cli\/2\./.test(execFileSync(candidate, ["--version"], { encoding: "utf8" }))) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function findBoto3Python(): string | undefined {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    try {
      execFileSync(candidate, ["-c", "import boto3"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const aws = findAwsV2();
const python = findBoto3Python();
for (const [name, found] of [["AWS CLI v2", aws], ["boto3", python]] as const) {
  if (!found && !required) console.warn(`${name} tests skipped: not installed (apt-get install awscli python3-boto3).`);
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ runtime: "simulated", quotas: { profile: "established" } });
});
afterAll(async () => {
  await sim.close();
});

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

describe.runIf(required && (!aws || !python))("interop tools (required)", () => {
  it("are installed", () => {
    expect.fail(`ECS_SIM_REQUIRE_INTEROP=1 but missing: ${[!aws && "AWS CLI v2", !python && "boto3"].filter(Boolean).join(", ")}`);
  });
});

describe.skipIf(!aws)("AWS CLI v2", () => {
  const cli = (...args: string[]) => run(aws!, ["--endpoint-url", sim.endpoint, "--output", "json", "ecs", ...args], { env });

  it("creates a cluster, gets the exact invalid-pair error, runs a task to RUNNING and stops it, with the waiters", async () => {
    const created = JSON.parse((await cli("create-cluster", "--cluster-name", "cli")).stdout);
    expect(created.cluster.clusterArn).toBe("arn:aws:ecs:us-east-1:000000000000:cluster/cli");
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-cli-"));
    const def = (cpu: string, memory: string) => {
      const file = join(dir, `${cpu}-${memory}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          family: "cli",
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu,
          memory,
          containerDefinitions: [{ name: "app", image: "busybox" }],
        }),
      );
      return `file://${file}`;
    };
    const bad = await cli("register-task-definition", "--cli-input-json", def("512", "8192")).catch((e: { stderr: string }) => e);
    expect((bad as { stderr: string }).stderr).toContain(
      "An error occurred (ClientException) when calling the RegisterTaskDefinition operation: No Fargate configuration exists for given values: 512 CPU, 8192 memory. See the Amazon ECS documentation for the valid values.",
    );
    const td = JSON.parse((await cli("register-task-definition", "--cli-input-json", def("1024", "2048"))).stdout).taskDefinition;
    const started = JSON.parse(
      (
        await cli(
          "run-task",
          "--cluster", "cli",
          "--task-definition", td.taskDefinitionArn,
          "--launch-type", "FARGATE",
          "--network-configuration", "awsvpcConfiguration={subnets=[subnet-1]}",
        )
      ).stdout,
    );
    const arn = started.tasks[0].taskArn;
    await cli("wait", "tasks-running", "--cluster", "cli", "--tasks", arn);
    await cli("stop-task", "--cluster", "cli", "--task", arn);
    await cli("wait", "tasks-stopped", "--cluster", "cli", "--tasks", arn);
    const task = JSON.parse((await cli("describe-tasks", "--cluster", "cli", "--tasks", arn)).stdout).tasks[0];
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "Task stopped by user" });
  }, 60_000);
});

describe.skipIf(!python)("boto3", () => {
  it("runs the same flow through botocore's parsers and waiters", async () => {
    const script = join(import.meta.dirname, "boto3_flow.py");
    expect(existsSync(script)).toBe(true);
    const { stdout } = await run(python!, [script, sim.endpoint], { env });
    const out = JSON.parse(stdout);
    expect(out.clusterArn).toBe("arn:aws:ecs:us-east-1:000000000000:cluster/boto3");
    expect(out.invalidPair).toEqual({
      code: "ClientException",
      message: "No Fargate configuration exists for given values: 512 CPU, 8192 memory. See the Amazon ECS documentation for the valid values.",
      status: 400,
    });
    expect([out.cpu, out.memory]).toEqual(["1024", "2048"]);
    expect(out.failures).toEqual([]);
    expect(out).toMatchObject({ lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "Task stopped by user", stoppedAtIsDatetime: true });
  }, 60_000);
});
