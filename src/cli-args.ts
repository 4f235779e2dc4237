import { parseArgs } from "node:util";
import { readConfigFile, type SimConfigInput } from "./config.js";
import { readScenarioFile } from "./scenario/parse.js";
import type { Scenario } from "./scenario/schema.js";

/**
 * Flags, ECS_SIM_* variables and the JSON config file, merged into one config input:
 * flag > environment > file > default. Each flag `--foo-bar` maps to `fooBar` and `ECS_SIM_FOO_BAR`.
 */
const FLAGS = {
  host: "host",
  port: "port",
  runtime: "runtime",
  seed: "seed",
  timing: "timing",
  clock: "clock",
  "account-id": "accountId",
  region: "region",
  "log-level": "logLevel",
  "log-format": "logFormat",
  "stopped-task-retention-ms": "stoppedTaskRetentionMs",
  "quota-profile": "quotaProfile",
  record: "record",
  "admin-token": "adminToken",
  "state-dir": "stateDir",
} as const;

/** Flags without a value; their ECS_SIM_* variables take 1/true or 0/false. */
const SWITCHES = {
  "verify-signatures": "verifySignatures",
  "allow-unauthenticated-admin": "allowUnauthenticatedAdmin",
} as const;

export const USAGE = `Usage: ecs-sim [options]

A local simulator of Amazon ECS and AWS Fargate.

Options (each also ECS_SIM_<NAME> in the environment, and a key of the config file):
  --host <addr>            listen address (default 127.0.0.1)
  --port <n>               listen port (default 4599)
  --runtime <kind>         docker | simulated (default: docker when an engine answers)
  --seed <n>               seed for every random choice (default: random, printed)
  --timing <profile>       fast | realistic (default fast)
  --clock <kind>           real | virtual (default real)
  --account-id <12 digits> default account (default 000000000000)
  --region <region>        default region (default us-east-1)
  --quota-profile <name>   aws-default | established | unlimited (default aws-default)
  --admin-token <token>    require this token on the admin API (/_sim/); mandatory with a
                           non-loopback --host (prefer ECS_SIM_ADMIN_TOKEN: flags show in ps)
  --allow-unauthenticated-admin  bind beyond loopback without an admin token (a container
                           published on the host's loopback only)
  --verify-signatures      check SigV4 signatures against the config file's accessKeys
  --log-level <level>      debug | info | warn | error | silent (default info)
  --log-format <fmt>       text | json (default text)
  --stopped-task-retention-ms <n>  how long STOPPED tasks stay describable (default 3600000)
  --state-dir <dir>        keep state across restarts in <dir> (default: none, in memory)
  --config <file>          JSON config file
  --scenario <file>        a scenario (YAML or JSON) to build and run: world, timeline, settings
  --record <file>          write every API call and its answer to a tape (JSON lines)

Replay a tape:  ecs-sim replay <tape> [--against <url>]
  -h, --help               this help
  -v, --version            print the version
`;

export interface CliParse {
  help: boolean;
  version: boolean;
  config: SimConfigInput;
  scenario?: Scenario;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliParse {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    config: { type: "string" },
    scenario: { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "v" },
  };
  for (const flag of Object.keys(FLAGS)) options[flag] = { type: "string" };
  for (const flag of Object.keys(SWITCHES)) options[flag] = { type: "boolean" };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });

  const configPath = (values.config as string | undefined) ?? env.ECS_SIM_CONFIG;
  const merged: Record<string, unknown> = configPath ? readConfigFile(configPath) : {};
  // A scenario's settings sit above the config file and below the environment and flags.
  const scenarioPath = (values.scenario as string | undefined) ?? env.ECS_SIM_SCENARIO;
  const scenario = scenarioPath ? readScenarioFile(scenarioPath) : undefined;
  if (scenario) Object.assign(merged, scenario.config);
  for (const [flag, key] of Object.entries(FLAGS)) {
    const envName = `ECS_SIM_${flag.toUpperCase().replaceAll("-", "_")}`;
    const value = (values[flag] as string | undefined) ?? env[envName];
    if (value === undefined) continue;
    if (key === "quotaProfile") {
      merged.quotas = { ...((merged.quotas as Record<string, unknown>) ?? {}), profile: value };
    } else {
      merged[key] = value;
    }
  }
  for (const [flag, key] of Object.entries(SWITCHES)) {
    const value = values[flag] === true ? true : env[`ECS_SIM_${flag.toUpperCase().replaceAll("-", "_")}`];
    if (value !== undefined) merged[key] = value;
  }
  return {
    help: values.help === true,
    version: values.version === true,
    config: merged as SimConfigInput,
    ...(scenario ? { scenario } : {}),
  };
}
