/**
 * Where a container's output lands in the LogStore. With the awslogs driver it is where AWS puts
 * it (`<awslogs-stream-prefix>/<container>/<task id>` in `awslogs-group`); otherwise a simulator
 * group per cluster, so `GET /_sim/tasks/<id>/logs` can find every task's output either way.
 */
import type { LogConfiguration } from "@aws-sdk/client-ecs";

export interface LogLocation {
  group: string;
  stream: string;
}

export interface LogNamingInput {
  clusterName: string;
  family: string;
  taskId: string;
  containerName: string;
  logConfiguration?: LogConfiguration;
}

export function containerLogLocation(input: LogNamingInput): LogLocation {
  const lc = input.logConfiguration;
  const opts = lc?.options ?? {};
  if (lc?.logDriver === "awslogs" && opts["awslogs-group"]) {
    const prefix = opts["awslogs-stream-prefix"];
    return {
      group: opts["awslogs-group"],
      stream: prefix ? `${prefix}/${input.containerName}/${input.taskId}` : `${input.containerName}/${input.taskId}`,
    };
  }
  return { group: `/ecs-sim/${input.clusterName}`, stream: `${input.family}/${input.containerName}/${input.taskId}` };
}
