import { flatString } from "../core/flat-string.js";
/**
 * Where a container's output lands. With the awslogs driver it is where AWS puts it
 * (`<awslogs-stream-prefix>/<container>/<task id>` in `awslogs-group`), in the CloudWatch Logs
 * the Logs API serves. Any other container gets no log group, as on AWS; its output is kept
 * aside under a per-cluster name, so `GET /_sim/tasks/<id>/logs` can still show it.
 */
import type { LogConfiguration } from "@aws-sdk/client-ecs";

export interface LogLocation {
  group: string;
  stream: string;
  /** True for the awslogs driver: the group is a CloudWatch Logs group. */
  awslogs: boolean;
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
      awslogs: true,
    };
  }
  // Kept for every task's container: stored flat, not as a tree of concatenated pieces.
  return { group: `/ecs-sim/${input.clusterName}`, stream: flatString(`${input.family}/${input.containerName}/${input.taskId}`), awslogs: false };
}
