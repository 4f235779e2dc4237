import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A user's mistakes at start-up get one line saying what to fix, not a stack trace or the usage text. */
const CLI = join(import.meta.dirname, "../../dist/cli.js");
const dir = mkdtempSync(join(tmpdir(), "ecs-sim-startup-"));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "--runtime", "simulated", "--log-level", "warn", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    // A CLI that got past the mistake would serve forever: stop it so the test fails, not hangs.
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

function config(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

let holder: Server;
let busyPort: number;
beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
  busyPort = (holder.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => holder.close(r));
});

describe.skipIf(!existsSync(CLI))("start-up errors", () => {
  it("a busy port: one line naming the address and the way out, exit 1", async () => {
    const res = await runCli(["--port", String(busyPort)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `ecs-sim: cannot listen on 127.0.0.1:${busyPort}: the port is already in use (stop what holds it, or pass --port <n>; 0 picks a free port)\n`,
    );
    expect(res.stdout).toBe("");
  });

  it.each([
    ["invalid JSON", config("broken.json", '{"port": 1,'), /^ecs-sim: config file .*broken\.json is not valid JSON: .+\n$/],
    ["not an object", config("array.json", "[1]"), /^ecs-sim: config file .*array\.json is not a JSON object\n$/],
    ["a missing file", join(dir, "missing.json"), /^ecs-sim: cannot read config file .*missing\.json: ENOENT.*\n$/],
    ["a bad value", config("timing.json", '{"timing": "slow"}'), /^ecs-sim: invalid configuration: timing: .*'slow'\n$/],
    ["a bad section", config("quotas.json", '{"quotas": {"profile": "huge"}}'), /^ecs-sim: invalid quotas configuration: profile: .*'huge'\n$/],
    ["a bad events section", config("events.json", '{"events": {"webhooks": 5}}'), /^ecs-sim: invalid configuration: .*webhooks: Expected array, received number\n$/],
  ])("a config file with %s: one line, exit 2", async (_what, file, line) => {
    const res = await runCli(["--port", "0", "--config", file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(line);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});
