import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * The simulator's configuration: one zod schema that the config file, ECS_SIM_* environment
 * variables and CLI flags all feed (flags win over environment, environment over the file).
 * Sections owned by other modules (quotas, docker, events) are validated by those modules.
 */
const DurationMs = z.coerce.number().int().min(0);

export const SimulatedOutcomeSchema = z.object({
  weight: z.number().min(0).default(1),
  /** How long the container runs before exiting on its own; absent = until stopped. */
  runMs: DurationMs.optional(),
  jitterMs: DurationMs.default(0),
  exitCode: z.number().int().default(0),
});

export const SimulatedRuleSchema = z.object({
  match: z
    .object({
      cluster: z.string().optional(),
      family: z.string().optional(),
      container: z.string().optional(),
      tags: z.record(z.string()).optional(),
    })
    .default({}),
  runMs: DurationMs.optional(),
  jitterMs: DurationMs.default(0),
  exitCode: z.number().int().optional(),
  /** Weighted alternatives, in the spirit of KWOK stages; overrides runMs/exitCode when given. */
  outcomes: z.array(SimulatedOutcomeSchema).optional(),
  /** What a simulated container does on SIGTERM: exit (143) after sigtermDelayMs, or ignore it (137 at stopTimeout). */
  onSigterm: z.enum(["exit", "ignore"]).optional(),
  sigtermDelayMs: DurationMs.optional(),
  /** Fail the image pull with a CannotPullContainerError. */
  pullError: z.boolean().optional(),
  /** The outcome of every health check (ECS_SIM_HEALTH). */
  health: z.enum(["HEALTHY", "UNHEALTHY"]).optional(),
  /** Killed for memory (ECS_SIM_OOM): exit 137 at runMs, or as soon as it starts. */
  oom: z.boolean().optional(),
  /** What the container writes to its log, in the ECS_SIM_LOG format (a string, or one entry per line). */
  log: z.union([z.string(), z.array(z.string())]).optional(),
});

/** Flags and ECS_SIM_* variables arrive as strings: "1"/"true" and "0"/"false" are booleans. */
const Flag = z.preprocess((v) => (v === "1" || v === "true" ? true : v === "0" || v === "false" ? false : v), z.boolean());

export const AccessKeySchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
});

export const ConfigSchema = z.object({
  host: z.string().default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(4599),
  runtime: z.enum(["auto", "docker", "simulated"]).default("auto"),
  seed: z.coerce.number().int().min(0).max(0xffffffff).optional(),
  timing: z.enum(["fast", "realistic"]).default("fast"),
  clock: z.enum(["real", "virtual"]).default("real"),
  /** Start of virtual time (ms since epoch); defaults to 2026-01-01T00:00:00Z. */
  clockStart: z.coerce.number().int().optional(),
  accountId: z.string().regex(/^\d{12}$/, "accountId must be 12 digits").default("000000000000"),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "region must look like us-east-1").default("us-east-1"),
  /**
   * Required by the admin API (/_sim/) when set: `Authorization: Bearer <token>` or
   * `x-ecs-sim-admin-token: <token>`. Mandatory when listening beyond loopback.
   */
  adminToken: z.string().min(8, "adminToken must be at least 8 characters").optional(),
  /**
   * Start beyond loopback without an admin token: for a container whose port is published on the
   * host's loopback only (`-p 127.0.0.1:4599:4599`), where 0.0.0.0 is the container's own address.
   */
  allowUnauthenticatedAdmin: Flag.default(false),
  /** Check each API call's SigV4 signature against `accessKeys` (off: any credentials pass). */
  verifySignatures: Flag.default(false),
  accessKeys: z.array(AccessKeySchema).default([]),
  logLevel: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  logFormat: z.enum(["text", "json"]).default("text"),
  /** How long STOPPED tasks stay describable (AWS: at least one hour). */
  stoppedTaskRetentionMs: DurationMs.default(3_600_000),
  /**
   * How long a task waits in PROVISIONING for an Auto Scaling capacity provider with managed
   * scaling to make room before it stops (AWS: "between 10 and 30 minutes").
   */
  provisioningTimeoutMs: DurationMs.default(1_800_000),
  /** Largest accepted request body; task definitions may be up to 64 KiB, plus envelope. */
  bodyLimitBytes: z.coerce.number().int().min(1024).default(1024 * 1024),
  /**
   * A client must send its request headers within headersTimeoutMs and the whole request within
   * requestTimeoutMs, or it is answered 408 and disconnected: a stalled client holds no socket.
   */
  headersTimeoutMs: z.coerce.number().int().min(100).default(10_000),
  requestTimeoutMs: z.coerce.number().int().min(100).default(30_000),
  /** Deepest JSON nesting accepted in a request; ECS's deepest shapes need fewer than ten levels. */
  jsonMaxDepth: z.coerce.number().int().min(8).max(1000).default(32),
  /**
   * Whether task definitions carry `enableFaultInjection: false` when registered without it, as
   * AWS's have since 2025. On by default so that clients which compare a described definition
   * with what they would register (Prefect's worker) show locally the re-registration they do on AWS.
   */
  emitEnableFaultInjection: z.boolean().default(true),
  /** Keep state across restarts in this directory (snapshot + fsync'd journal); off when absent. */
  stateDir: z.string().min(1).optional(),
  /**
   * Create a missing awslogs group when a task starts, as if `awslogs-create-group` were "true".
   * Off by default: Fargate fails such a task with a ResourceInitializationError.
   */
  autoCreateLogGroups: z.boolean().default(false),
  /**
   * Create the `default` cluster when a call that changes something omits `cluster` and it does
   * not exist. Off, as on AWS, which answers ClusterNotFoundException until CreateCluster ran.
   */
  createDefaultCluster: z.boolean().default(false),
  /**
   * The launch type of a RunTask/CreateService without launchType or strategy on a cluster without
   * a default strategy: EC2, as on AWS; FARGATE for code tested against the simulator's old default.
   */
  defaultLaunchType: z.enum(["EC2", "FARGATE"]).default("EC2"),
  simulated: z
    .object({
      rules: z.array(SimulatedRuleSchema).default([]),
      onSigterm: z.enum(["exit", "ignore"]).default("exit"),
      sigtermDelayMs: DurationMs.default(0),
      /** How long a container waits for its dependsOn conditions when it has no startTimeout (Fargate: 3 minutes). */
      dependencyTimeoutMs: DurationMs.default(180_000),
    })
    .default({}),
  quotas: z.record(z.unknown()).optional(),
  docker: z.record(z.unknown()).optional(),
  events: z.record(z.unknown()).optional(),
  services: z.record(z.unknown()).optional(),
  spot: z.record(z.unknown()).optional(),
  capacity: z.record(z.unknown()).optional(),
  /** Simulated EC2 Auto Scaling groups to create at start (src/autoscaling-groups/schema.ts validates each). */
  autoScalingGroups: z.array(z.record(z.unknown())).optional(),
  /** Timings of the simulated groups and of ECS managed scaling (src/autoscaling-groups/settings.ts). */
  ec2AutoScaling: z.record(z.unknown()).optional(),
  /** Metric sources polled from outside (SQS queue depth): see src/metrics/config.ts. */
  metrics: z.record(z.unknown()).optional(),
  /** Write every API call and its answer to this file as JSON lines (a tape `ecs-sim replay` reads). */
  record: z.string().min(1).optional(),
});

export type SimConfig = z.infer<typeof ConfigSchema>;
export type SimConfigInput = z.input<typeof ConfigSchema>;
export type SimulatedRule = z.infer<typeof SimulatedRuleSchema>;
export type AccessKey = z.infer<typeof AccessKeySchema>;

export class ConfigError extends Error {}

/** "a.b: message; c: message", the one way every config section reports its zod issues. */
export function formatZodIssues(error: z.ZodError, prefix = ""): string {
  return error.issues.map((i) => `${[prefix, ...i.path].filter((x) => x !== "").join(".") || "(root)"}: ${i.message}`).join("; ");
}

export function parseConfig(input: unknown): SimConfig {
  const result = ConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(`invalid configuration: ${formatZodIssues(result.error)}`);
  return result.data;
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new ConfigError(`config file ${path} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
