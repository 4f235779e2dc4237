import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateClusterCommand } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { ecsClient } from "../helpers/sim.js";

// `npm test` builds dist/ first (pretest); the CLI is tested as users run it.
const CLI = join(import.meta.dirname, "../../dist/cli.js");
const children: ChildProcessWithoutNullStreams[] = [];

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const m = /ready at (http:\/\/[^\s]+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

describe.skipIf(!existsSync(CLI))("ecs-sim CLI", () => {
  it("prints one ready line with the endpoint, serves the API, and exits cleanly on SIGTERM", async () => {
    const sim = start(["--port", "0", "--runtime", "simulated", "--seed", "99", "--account-id", "111122223333"]);
    const endpoint = await sim.ready;
    expect(sim.output().stdout).toMatch(/ready at http:\/\/127\.0\.0\.1:\d+ \(runtime simulated, clock real, timing fast, seed 99, account 111122223333, region us-east-1; quotas: profile aws-default, Fargate vCPU on-demand 6, spot 6/);
    const ecs = ecsClient(endpoint);
    const res = await ecs.send(new CreateClusterCommand({ clusterName: "cli" }));
    expect(res.cluster?.clusterArn).toBe("arn:aws:ecs:us-east-1:111122223333:cluster/cli");
    ecs.destroy();
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
    expect(sim.output().stderr).toContain("CreateCluster");
  });

  it("reads ECS_SIM_* variables and the config file, flags winning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ region: "eu-west-1", accountId: "999999999999", logFormat: "json" }));
    const sim = start(["--port", "0", "--runtime", "simulated", "--config", file, "--account-id", "123456789012"], { ECS_SIM_SEED: "5" });
    await sim.ready;
    const line = sim.output().stdout;
    expect(line).toContain("seed 5");
    expect(line).toContain("account 123456789012");
    expect(line).toContain("region eu-west-1");
    sim.child.kill("SIGINT");
    expect(await sim.exited).toBe(0);
    // logFormat json (from the file): every log line is a JSON object.
    const logLines = sim.output().stderr.trim().split("\n");
    expect(logLines.length).toBeGreaterThan(0);
    for (const l of logLines) expect(JSON.parse(l)).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
  });

  it("refuses a non-loopback --host without an admin token, and warns with the real addresses with one", async () => {
    const refused = start(["--host", "0.0.0.0", "--port", "0", "--runtime", "simulated"]);
    expect(await refused.exited).toBe(2);
    expect(refused.output().stderr).toContain("ECS_SIM_ADMIN_TOKEN");
    const exposed = start(["--host", "0.0.0.0", "--port", "0", "--runtime", "simulated"], { ECS_SIM_ADMIN_TOKEN: "cli-admin-token" });
    await exposed.ready;
    expect(exposed.output().stderr).toMatch(/WARN .*listening on 0\.0\.0\.0:\d+, beyond this machine: reachable at http:\/\//);
    exposed.child.kill("SIGTERM");
    expect(await exposed.exited).toBe(0);
  });

  it("exits 2 with a clear message on a bad flag value or an unknown flag", async () => {
    const bad = start(["--timing", "glacial"]);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toContain("timing");
    const unknown = start(["--frobnicate"]);
    expect(await unknown.exited).toBe(2);
  });
});
