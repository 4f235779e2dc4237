import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";

/**
 * The endpoint variables the README gives for the Logs client, set in the environment of real
 * clients (JS SDK v3, boto3, the AWS CLI) that get no endpoint otherwise. A variable a client
 * ignores sends it to real AWS, which this machine cannot reach, so the call fails.
 *
 * Debian 12's awscli (v2.9) and python3-boto3 (botocore 1.29) predate the variables; the tests
 * use whichever installed client is new enough and say which they skipped.
 */
const run = promisify(execFile);
const required = process.env["ECS_SIM_REQUIRE_INTEROP"] === "1";
const repo = join(import.meta.dirname, "../..");
const readme = readFileSync(join(repo, "README.md"), "utf8");

/** Every Logs endpoint variable the README names, and the global one it offers. */
const documented = [...new Set([...readme.matchAll(/\b(AWS_ENDPOINT_URL_\w*LOGS\w*)\b/g)].map((m) => m[1]!))];

function version(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return undefined;
  }
}

const atLeast = (v: string, min: number[]) => {
  const parts = v.split(".").map(Number);
  for (let i = 0; i < min.length; i++) if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i]!;
  return true;
};

/** Installed AWS CLIs, each with whether it reads AWS_ENDPOINT_URL_<SERVICE> (v2 2.13+, v1 1.29+). */
const clis = [...new Set(["aws", "/usr/bin/aws"])].flatMap((cmd) => {
  const m = /^aws-cli\/(\d+\.\d+\.\d+)/.exec(version(cmd, ["--version"]) ?? "");
  if (!m) return [];
  const v = m[1]!;
  return [{ cmd, version: v, reads: v.startsWith("2.") ? atLeast(v, [2, 13]) : atLeast(v, [1, 29]) }];
});
const uniqueClis = clis.filter((c, i) => clis.findIndex((o) => o.version === c.version) === i);
const cliReaders = uniqueClis.filter((c) => c.reads);

/** A python3 whose botocore reads the variables (1.31+). */
const python = ["python3", "/usr/bin/python3"]
  .map((cmd) => ({ cmd, botocore: version(cmd, ["-c", "import boto3, botocore; print(botocore.__version__)"]) }))
  .find((p) => p.botocore !== undefined && atLeast(p.botocore, [1, 31]));

for (const c of uniqueClis.filter((c) => !c.reads)) {
  console.warn(`AWS CLI ${c.version} (${c.cmd}) predates AWS_ENDPOINT_URL_<SERVICE>: not used for the endpoint-variable tests.`);
}
if (!python && !required) console.warn("boto3 endpoint-variable test skipped: no python3 with botocore 1.31+.");
if (cliReaders.length === 0 && !required) console.warn("AWS CLI endpoint-variable test skipped: no AWS CLI v2 2.13+ or v1 1.29+.");

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ runtime: "simulated" });
});
afterAll(async () => {
  await sim.close();
});

/** Credentials and region only: the endpoint must come from the variable under test. */
function clientEnv(variable: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    NODE_NO_WARNINGS: "1",
    [variable]: sim.endpoint,
  };
}

const JS_CLIENT = `
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
const logs = new CloudWatchLogsClient({});
await logs.send(new CreateLogGroupCommand({ logGroupName: process.argv[1] }));
const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: process.argv[1] }));
console.log(JSON.stringify(out.logGroups.map((g) => g.logGroupName)));
`;

const BOTO3_CLIENT = `
import boto3, json, sys
logs = boto3.client("logs")
logs.create_log_group(logGroupName=sys.argv[1])
out = logs.describe_log_groups(logGroupNamePrefix=sys.argv[1])
print(json.dumps([g["logGroupName"] for g in out["logGroups"]]))
`;

describe("the README's Logs endpoint variables", () => {
  it("are the ones SDKs read", () => {
    expect(documented).toEqual(["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"]);
    expect(readme).toContain("`AWS_ENDPOINT_URL` for every");
  });

  it.each([...documented, "AWS_ENDPOINT_URL"])("%s points the JS SDK v3 Logs client at the simulator", async (variable) => {
    const group = `/js/${variable}/group`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", JS_CLIENT, group], {
      cwd: repo,
      env: clientEnv(variable),
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual([group]);
  });

  describe.runIf(required || python)("boto3", () => {
    it.each([...documented, "AWS_ENDPOINT_URL"])("%s points boto3's Logs client at the simulator", async (variable) => {
      expect(python, "ECS_SIM_REQUIRE_INTEROP=1 but no python3 has botocore 1.31+").toBeDefined();
      const group = `/boto3/${variable}/group`;
      const { stdout } = await run(python!.cmd, ["-c", BOTO3_CLIENT, group], { env: clientEnv(variable), timeout: 60_000 });
      expect(JSON.parse(stdout)).toEqual([group]);
    });
  });

  describe.runIf(required || cliReaders.length > 0)("AWS CLI", () => {
    it(`${documented.join(", ")} points \`aws logs\` at the simulator (${cliReaders.map((c) => `aws-cli/${c.version}`).join(", ") || "none installed"})`, async () => {
      expect(cliReaders.length, "ECS_SIM_REQUIRE_INTEROP=1 but no AWS CLI v2 2.13+ or v1 1.29+ is installed").toBeGreaterThan(0);
      for (const cli of cliReaders) {
        for (const variable of documented) {
          const group = `/cli/${cli.version}/${variable}/group`;
          const env = clientEnv(variable);
          await run(cli.cmd, ["logs", "create-log-group", "--log-group-name", group], { env, timeout: 60_000 });
          const { stdout } = await run(cli.cmd, ["logs", "describe-log-groups", "--log-group-name-prefix", group, "--output", "json"], {
            env,
            timeout: 60_000,
          });
          expect(JSON.parse(stdout).logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual([group]);
        }
      }
    }, 120_000);
  });
});
