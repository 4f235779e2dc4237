import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { RunningSimulator } from "../../src/index.js";
import { AWSVPC, ok } from "../helpers/sim.js";

export const EXEC_ROLE = "arn:aws:iam::000000000000:role/exec";

export function logsClient(sim: RunningSimulator): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: sim.endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
}

export function awslogs(group: string, prefix = "ecs", extra: Record<string, string> = {}) {
  return { logDriver: "awslogs", options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": prefix, ...extra } };
}

export function env(vars: Record<string, string>) {
  return Object.entries(vars).map(([name, value]) => ({ name, value }));
}

let families = 0;

/** Registers a one-off Fargate family with these containers and runs one task of it in cluster `c`. */
export async function runTask(sim: RunningSimulator, containerDefinitions: Record<string, unknown>[]): Promise<{ arn: string; id: string }> {
  const td = await ok(sim, "RegisterTaskDefinition", {
    family: `sim-${++families}`,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "256",
    memory: "512",
    executionRoleArn: EXEC_ROLE,
    containerDefinitions: containerDefinitions.map((c) => ({ image: "busybox:latest", ...c })),
  });
  const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: td.taskDefinition.taskDefinitionArn, networkConfiguration: AWSVPC });
  const arn: string = run.tasks[0].taskArn;
  return { arn, id: arn.slice(arn.lastIndexOf("/") + 1) };
}

export async function describeTask(sim: RunningSimulator, arn: string): Promise<any> {
  return (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [arn] })).tasks[0];
}

export function container(task: any, name: string): any {
  return task.containers.find((c: any) => c.name === name);
}
