import type { Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { FastifyInstance } from "fastify";
import type { ContainerLogs } from "../../runtime/container-logs.js";
import { adminError } from "./errors.js";

export interface TaskLogDeps {
  logs: Pick<ContainerLogs, "locate">;
  findTask(id: string): { task: Task; clusterName: string; definition?: TaskDefinition } | undefined;
}

/**
 * GET /_sim/tasks/<task id or ARN>/logs: every container's captured output, found where the
 * awslogs driver put it, or where the simulator kept the output of a container without awslogs
 * (not a CloudWatch group). `?container=` narrows to one container.
 */
export function registerTaskLogRoutes(app: FastifyInstance, deps: TaskLogDeps): void {
  app.get<{ Params: { id: string }; Querystring: { container?: string } }>("/_sim/tasks/:id/logs", async (req, reply) => {
    const found = deps.findTask(decodeURIComponent(req.params.id));
    if (!found) return adminError(reply, 404, "NotFound", `No task ${req.params.id} is known.`);
    const { task, clusterName, definition } = found;
    const taskId = task.taskArn!.slice(task.taskArn!.lastIndexOf("/") + 1);
    const containers = (task.containers ?? [])
      .filter((c) => !req.query.container || c.name === req.query.container)
      .map((c) => {
        const logConfiguration = definition?.containerDefinitions?.find((d) => d.name === c.name)?.logConfiguration;
        const where = deps.logs.locate({
          clusterName,
          family: definition?.family ?? "",
          taskId,
          containerName: c.name!,
          ...(logConfiguration ? { logConfiguration } : {}),
        });
        const stream = where.store.getStream(where.group, where.stream);
        return {
          name: c.name,
          logGroupName: where.group,
          logStreamName: where.stream,
          events: (stream?.events ?? []).map((e) => ({ timestamp: e.timestamp, message: e.message })),
        };
      });
    return { taskArn: task.taskArn, containers };
  });
}
