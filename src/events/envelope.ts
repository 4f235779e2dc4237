import type { SeededRandom } from "../core/random.js";

/** The detail-types ECS sends to EventBridge that the simulator produces. */
export type EcsDetailType = "ECS Task State Change" | "ECS Service Action" | "ECS Deployment State Change";

/**
 * An EventBridge event exactly as AWS delivers it (the "Amazon service event metadata" fields).
 * Consumers such as Prefect's observer read `id`, `time`, `detail-type` and `detail`.
 */
export interface EcsEventEnvelope<D extends object = Record<string, unknown>> {
  version: "0";
  id: string;
  "detail-type": string;
  /** aws.ecs, or the service whose events about ECS services the simulator also sends (aws.application-autoscaling, aws.cloudwatch). */
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

export interface EnvelopeInput<D extends object> {
  detailType: string;
  account: string;
  region: string;
  resources: string[];
  detail: D;
  /** Default aws.ecs. */
  source?: string;
  /** Milliseconds since the epoch, from the injected clock. */
  timeMs: number;
  random: SeededRandom;
}

/** Builds the envelope; field order follows the AWS examples so dumps read the same. */
export function buildEnvelope<D extends object>(input: EnvelopeInput<D>): EcsEventEnvelope<D> {
  return {
    version: "0",
    id: input.random.uuid(),
    "detail-type": input.detailType,
    source: input.source ?? "aws.ecs",
    account: input.account,
    time: envelopeTime(input.timeMs),
    region: input.region,
    resources: [...input.resources],
    detail: input.detail,
  };
}

/** EventBridge's top-level `time` has whole seconds only: "2020-01-23T17:57:58Z". */
export function envelopeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Detail timestamps keep milliseconds: "2020-01-23T17:57:34.402Z". */
export function isoMillis(value: Date | number | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
  }
  const ms = value instanceof Date ? value.getTime() : value;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * The cluster ARN an event belongs to, for filtering: `detail.clusterArn` when present (task
 * events, service actions), otherwise taken from a service ARN in `resources` (deployment
 * events carry no clusterArn), e.g. arn:aws:ecs:r:a:service/<cluster>/<name>.
 */
export function clusterArnOf(event: EcsEventEnvelope<object>): string | undefined {
  const detail = event.detail as Record<string, unknown>;
  if (typeof detail.clusterArn === "string") return detail.clusterArn;
  for (const arn of event.resources) {
    const m = /^arn:([^:]+):ecs:([^:]+):(\d+):(?:service|task)\/([^/]+)\/[^/]+$/.exec(arn);
    if (m) return `arn:${m[1]}:ecs:${m[2]}:${m[3]}:cluster/${m[4]}`;
  }
  return undefined;
}

/** A cluster filter value may be a name or an ARN, as in the ECS API's `cluster` parameter. */
export function clusterMatches(clusterArn: string | undefined, wanted: string): boolean {
  if (!clusterArn) return false;
  if (wanted.startsWith("arn:")) return clusterArn === wanted;
  return clusterArn.endsWith(`:cluster/${wanted}`);
}
