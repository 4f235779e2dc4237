import type { InjectOptions } from "fastify";
import type { SimConfigInput } from "../../src/config.js";
import { startSimulator, type RunningSimulator } from "../../src/index.js";

const TARGET = "AmazonEC2ContainerServiceV20141113.";
const AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

export const AWSVPC = { awsvpcConfiguration: { subnets: ["subnet-12345678"], assignPublicIp: "ENABLED" } };

export const FARGATE_DEF = {
  family: "web",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: "busybox:latest" }],
};

/** A simulator on the virtual clock with the simulated runtime: nothing moves unless a test says so. */
export async function virtualSim(config: SimConfigInput = {}): Promise<RunningSimulator> {
  return startSimulator({ runtime: "simulated", clock: "virtual", seed: 7, quotas: { profile: "unlimited" }, ...config });
}

/** Calls an ECS operation through fastify's inject: the whole wire path without a socket. */
export async function call(sim: RunningSimulator, operation: string, body: unknown = {}): Promise<{ status: number; body: any }> {
  const res = await sim.simulator.app.inject({
    method: "POST",
    url: "/",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET + operation, authorization: AUTH },
    payload: JSON.stringify(body),
  } as InjectOptions);
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/** Calls and asserts a 200, returning the body. */
export async function ok(sim: RunningSimulator, operation: string, body: unknown = {}): Promise<any> {
  const res = await call(sim, operation, body);
  if (res.status !== 200) throw new Error(`${operation} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A definition whose container runs until stopped, with optional extra environment. */
export function webDefinition(family = "web", env: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return {
    ...FARGATE_DEF,
    family,
    containerDefinitions: [
      {
        name: "app",
        image: "busybox:latest",
        portMappings: [{ containerPort: 8080 }],
        environment: Object.entries(env).map(([name, value]) => ({ name, value })),
      },
    ],
    ...extra,
  };
}

export async function register(sim: RunningSimulator, def: Record<string, unknown>): Promise<string> {
  const body = await ok(sim, "RegisterTaskDefinition", def);
  return body.taskDefinition.taskDefinitionArn;
}

export async function describe(sim: RunningSimulator, service: string, cluster = "default") {
  const body = await ok(sim, "DescribeServices", { cluster, services: [service] });
  return body.services[0];
}

export async function serviceTasks(sim: RunningSimulator, service: string, cluster = "default", desiredStatus = "RUNNING") {
  const list = await ok(sim, "ListTasks", { cluster, serviceName: service, desiredStatus });
  if (list.taskArns.length === 0) return [];
  const body = await ok(sim, "DescribeTasks", { cluster, tasks: list.taskArns });
  return body.tasks as any[];
}

/** Advances the virtual clock in steps until `check` holds; fails after `maxMs` of virtual time. */
export async function advanceUntil(sim: RunningSimulator, check: () => Promise<boolean>, maxMs = 300_000, stepMs = 1_000): Promise<number> {
  let waited = 0;
  while (!(await check())) {
    if (waited >= maxMs) throw new Error(`condition not reached after ${maxMs} ms of virtual time`);
    await sim.advanceClock(stepMs);
    waited += stepMs;
  }
  return waited;
}

/** A virtual-clock simulator with the `default` cluster created. */
export async function newSim(config: SimConfigInput = {}, clusterInput: Record<string, unknown> = {}) {
  const sim = await virtualSim(config);
  await ok(sim, "CreateCluster", { clusterName: "default", ...clusterInput });
  return sim;
}

export const SERVICE_BASE = { cluster: "default", networkConfiguration: AWSVPC, launchType: "FARGATE" };
