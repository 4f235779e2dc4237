import { ECSClient } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { InjectOptions } from "fastify";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import type { SimConfigInput } from "../../src/config.js";

export const TARGET = "AmazonEC2ContainerServiceV20141113.";

export function authFor(accessKeyId = "AKIDEXAMPLE", region = "us-east-1"): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
}

/**
 * A simulator on the virtual clock with the simulated runtime: nothing moves unless a test says so.
 * Most suites are about Fargate behaviour, so a launch that names no launch type falls back to
 * FARGATE here; the EC2 suites (and the test of the EC2 default) pass `defaultLaunchType: "EC2"`.
 */
export async function virtualSim(config: SimConfigInput = {}): Promise<RunningSimulator> {
  return startSimulator({
    runtime: "simulated",
    clock: "virtual",
    seed: 7,
    quotas: { profile: "unlimited" },
    defaultLaunchType: "FARGATE",
    ...config,
  });
}

/**
 * One virtual-clock simulator for a whole test file, reset before each test. `use` receives it
 * once it is up (vitest hooks run before the tests read it).
 */
export function useVirtualSim(use: (sim: RunningSimulator) => void, config: SimConfigInput = {}, beforeEachTest?: () => Promise<void>): void {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await virtualSim(config);
    use(sim);
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await sim.reset();
    await beforeEachTest?.();
  });
}

export function ecsClient(endpoint: string, opts: { accessKeyId?: string; region?: string; maxAttempts?: number } = {}): ECSClient {
  return new ECSClient({
    endpoint,
    region: opts.region ?? "us-east-1",
    credentials: { accessKeyId: opts.accessKeyId ?? "AKIDEXAMPLE", secretAccessKey: "secret" },
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
}

/** Calls an ECS operation through fastify's inject: the whole wire path without a socket. */
export async function call(
  sim: RunningSimulator,
  operation: string,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const res = await sim.simulator.app.inject({
    method: "POST",
    url: "/",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": TARGET + operation,
      authorization: authFor(),
      ...headers,
    },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  } as InjectOptions);
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
}

/** Calls and asserts a 200, returning the body. */
export async function ok(sim: RunningSimulator, operation: string, body: unknown = {}): Promise<any> {
  const res = await call(sim, operation, body);
  if (res.status !== 200) throw new Error(`${operation} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An admin (/_sim) call; JSON in and out. */
export async function admin(
  sim: RunningSimulator,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await sim.simulator.app.inject({
    method,
    url,
    ...(body !== undefined ? { headers: { "content-type": "application/json" }, payload: JSON.stringify(body) } : {}),
  } as InjectOptions);
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

export const FARGATE_DEF = {
  family: "web",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: "busybox:latest" }],
};

export const AWSVPC = { awsvpcConfiguration: { subnets: ["subnet-12345678"], assignPublicIp: "ENABLED" } };
