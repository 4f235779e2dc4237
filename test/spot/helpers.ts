import { startSimulator, type RunningSimulator } from "../../src/index.js";
import type { SimConfigInput } from "../../src/config.js";
import { admin, AWSVPC, ok } from "../helpers/sim.js";

export { admin, AWSVPC, call, ok, TARGET } from "../helpers/sim.js";

export const SPOT = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];

/** The simulator of the spot suites: simulated runtime, virtual clock, established quotas. */
export async function spotSim(config: SimConfigInput = {}): Promise<RunningSimulator> {
  return startSimulator({ runtime: "simulated", clock: "virtual", seed: 11, quotas: { profile: "established" }, ...config });
}

export function taskDefinition(family: string, opts: { env?: Record<string, string>; stopTimeout?: number; cpu?: string; memory?: string } = {}) {
  return {
    family,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: opts.cpu ?? "1024",
    memory: opts.memory ?? "2048",
    containerDefinitions: [
      {
        name: "app",
        image: "busybox:latest",
        essential: true,
        ...(opts.stopTimeout !== undefined ? { stopTimeout: opts.stopTimeout } : {}),
        environment: Object.entries(opts.env ?? {}).map(([name, value]) => ({ name, value })),
      },
    ],
  };
}

/** A cluster with both Fargate providers and a registered definition. */
export async function setup(
  sim: RunningSimulator,
  opts: { cluster?: string; family?: string; env?: Record<string, string>; stopTimeout?: number } = {},
): Promise<{ cluster: string; family: string }> {
  const cluster = opts.cluster ?? "spot";
  const family = opts.family ?? "job";
  await ok(sim, "CreateCluster", { clusterName: cluster, capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
  await ok(sim, "RegisterTaskDefinition", taskDefinition(family, opts));
  return { cluster, family };
}

export async function runSpot(sim: RunningSimulator, cluster: string, family: string, count = 1, extra: object = {}): Promise<any> {
  return ok(sim, "RunTask", {
    cluster,
    taskDefinition: family,
    count,
    capacityProviderStrategy: SPOT,
    networkConfiguration: AWSVPC,
    ...extra,
  });
}

export async function describe1(sim: RunningSimulator, cluster: string, taskArn: string): Promise<any> {
  const out = await ok(sim, "DescribeTasks", { cluster, tasks: [taskArn] });
  return out.tasks[0];
}

export async function describeAll(sim: RunningSimulator, cluster: string, taskArns: string[]): Promise<any[]> {
  const out: any[] = [];
  for (let i = 0; i < taskArns.length; i += 100) {
    out.push(...(await ok(sim, "DescribeTasks", { cluster, tasks: taskArns.slice(i, i + 100) })).tasks);
  }
  return out;
}

/** vCPU in use for a class, from GET /_sim/usage. */
export async function vcpuInUse(sim: RunningSimulator, vcpuClass: "spot" | "on-demand"): Promise<number> {
  const usage = (await admin(sim, "GET", "/_sim/usage")).body;
  return usage.vcpu.filter((r: any) => r.vcpuClass === vcpuClass).reduce((sum: number, r: any) => sum + r.inUse, 0);
}
