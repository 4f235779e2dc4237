import type { RunningSimulator } from "../../src/index.js";
import type { SimConfigInput } from "../../src/config.js";
import { AWSVPC, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

export { AWSVPC, call, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

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
