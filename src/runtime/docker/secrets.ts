/**
 * Secrets and environment files come from local sources in the config instead of Secrets
 * Manager, SSM and S3. A missing one fails the task the way Fargate does: TaskFailedToStart
 * with a ResourceInitializationError reason.
 */
import { readFile } from "node:fs/promises";
import type { EnvironmentFile, Secret } from "@aws-sdk/client-ecs";
import type { DockerConfig } from "./config.js";
import { TaskStartError } from "../types.js";

const ASM_ARN = /^(arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:[^:]+)(?::([^:]*):([^:]*):([^:]*))?$/;
const SSM_ARN = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/;

export async function loadSecretValues(config: DockerConfig): Promise<Record<string, string>> {
  let fromFile: Record<string, string> = {};
  if (config.secrets.file) {
    try {
      const parsed: unknown = JSON.parse(await readFile(config.secrets.file, "utf8"));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        fromFile = Object.fromEntries(
          Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );
      }
    } catch (err) {
      throw new Error(`docker.secrets.file ${config.secrets.file}: ${(err as Error).message}`);
    }
  }
  return { ...fromFile, ...config.secrets.values };
}

/** Resolves one valueFrom against the local map, following AWS's ARN forms. */
export function lookupSecret(valueFrom: string, values: Record<string, string>): string | undefined {
  if (valueFrom in values) return values[valueFrom];
  const asm = ASM_ARN.exec(valueFrom);
  if (asm) {
    const base = asm[1]!;
    const jsonKey = asm[2];
    const name = base.slice(base.indexOf(":secret:") + ":secret:".length);
    // Full ARNs end in a 6-character random suffix that the secret's name does not have.
    const candidates = [base, name, name.replace(/-[A-Za-z0-9]{6}$/, "")];
    const raw = candidates.map((c) => values[c]).find((v) => v !== undefined);
    if (raw === undefined || !jsonKey) return raw;
    try {
      const obj = JSON.parse(raw) as Record<string, unknown>;
      const v = obj[jsonKey];
      return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
    } catch {
      return undefined;
    }
  }
  const ssm = SSM_ARN.exec(valueFrom);
  const param = ssm ? ssm[1]! : valueFrom;
  for (const c of [param, param.replace(/^\//, ""), "/" + param.replace(/^\//, "")]) {
    if (values[c] !== undefined) return values[c];
  }
  return undefined;
}

export function missingSecretReason(valueFrom: string): string {
  if (valueFrom.includes(":secretsmanager:")) {
    return (
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
      "unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " +
      `${valueFrom} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`
    );
  }
  return (
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
    "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " +
    `invalid parameters: ${valueFrom}`
  );
}

export function resolveSecrets(
  containerName: string,
  secrets: Secret[] | undefined,
  values: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of secrets ?? []) {
    if (!s.name || !s.valueFrom) continue;
    const v = lookupSecret(s.valueFrom, values);
    if (v === undefined) {
      const reason = missingSecretReason(s.valueFrom);
      throw new TaskStartError(reason, { [containerName]: reason });
    }
    out[s.name] = v;
  }
  return out;
}

export async function resolveEnvironmentFiles(
  containerName: string,
  files: EnvironmentFile[] | undefined,
  config: DockerConfig,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files ?? []) {
    if (!f.value) continue;
    const path = config.environmentFiles[f.value];
    let text: string | undefined;
    if (path) text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) {
      const reason =
        "ResourceInitializationError: failed to download env files: file download command: non empty error stream: " +
        `service call has been retried 5 time(s): NoSuchKey: The specified key does not exist. (${f.value})`;
      throw new TaskStartError(reason, { [containerName]: reason });
    }
    // Later files do not override earlier ones (ECS: the first definition of a variable wins).
    for (const [k, v] of Object.entries(parseEnvFile(text))) if (!(k in out)) out[k] = v;
  }
  return out;
}

/** ECS env-file syntax: VARIABLE=VALUE per line, # comments, no quoting or expansion. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
