import { describe, expect, it } from "vitest";
import { parseCli } from "../../src/cli-args.js";
import { parseConfig } from "../../src/config.js";

describe("CLI flags and ECS_SIM_* variables", () => {
  it("map every documented flag onto the config, flags winning over the environment", () => {
    const { config } = parseCli(
      [
        "--host", "0.0.0.0", "--port", "4600", "--runtime", "simulated", "--seed", "9", "--timing", "realistic",
        "--clock", "virtual", "--account-id", "123456789012", "--region", "eu-west-1", "--log-level", "warn",
        "--log-format", "json", "--stopped-task-retention-ms", "60000", "--quota-profile", "established",
        "--state-dir", "/tmp/state",
      ],
      { ECS_SIM_PORT: "9999", ECS_SIM_REGION: "us-west-2" },
    );
    expect(parseConfig(config)).toMatchObject({
      host: "0.0.0.0",
      port: 4600,
      runtime: "simulated",
      seed: 9,
      timing: "realistic",
      clock: "virtual",
      accountId: "123456789012",
      region: "eu-west-1",
      logLevel: "warn",
      logFormat: "json",
      stoppedTaskRetentionMs: 60000,
      quotas: { profile: "established" },
      stateDir: "/tmp/state",
    });
  });

  it("maps --admin-token and the --verify-signatures switch, and their variables", () => {
    const flags = parseCli(["--admin-token", "flag-token-1", "--verify-signatures"], {}).config;
    expect(parseConfig(flags)).toMatchObject({ adminToken: "flag-token-1", verifySignatures: true });
    const env = parseCli([], { ECS_SIM_ADMIN_TOKEN: "env-token-12", ECS_SIM_VERIFY_SIGNATURES: "1" }).config;
    expect(parseConfig(env)).toMatchObject({ adminToken: "env-token-12", verifySignatures: true });
    expect(parseConfig(parseCli([], { ECS_SIM_VERIFY_SIGNATURES: "false" }).config).verifySignatures).toBe(false);
    expect(parseConfig(parseCli([], {}).config)).toMatchObject({ verifySignatures: false });
    expect(parseConfig(parseCli([], {}).config).adminToken).toBeUndefined();
    expect(parseConfig(parseCli(["--allow-unauthenticated-admin"], {}).config).allowUnauthenticatedAdmin).toBe(true);
    expect(parseConfig(parseCli([], { ECS_SIM_ALLOW_UNAUTHENTICATED_ADMIN: "1" }).config).allowUnauthenticatedAdmin).toBe(true);
  });

  it("reads ECS_SIM_* variables when no flag is given", () => {
    const { config } = parseCli([], { ECS_SIM_STOPPED_TASK_RETENTION_MS: "5000", ECS_SIM_QUOTA_PROFILE: "unlimited", ECS_SIM_CLOCK: "virtual", ECS_SIM_STATE_DIR: "/tmp/s" });
    expect(parseConfig(config)).toMatchObject({ stoppedTaskRetentionMs: 5000, clock: "virtual", quotas: { profile: "unlimited" }, stateDir: "/tmp/s" });
  });
});
