import type { NetworkBinding, Task } from "@aws-sdk/client-ecs";
import type { FastifyInstance } from "fastify";
import { adminError } from "./errors.js";

export interface TaskPortDeps {
  /** The simulated runtime runs nothing: it has no local address to show. */
  runtimeKind: string;
  findTask(id: string): { task: Task; hostBindings?: Record<string, NetworkBinding[]> } | undefined;
}

/**
 * GET /_sim/tasks/<task id or ARN>/ports: where each port mapping of a task answers on this
 * machine. DescribeTasks shows what ECS shows (on a container instance, the host port placement
 * gave the mapping on that simulated instance); every simulated instance shares this one host, so
 * the real port may differ, and this is where to find it. `hostPort` is DescribeTasks' value when
 * ECS reports one (not for awsvpc); `url` is for HTTP servers, a convenience. Under the simulated
 * runtime nothing listens: the reported bindings come without a local address.
 */
export function registerTaskPortRoutes(app: FastifyInstance, deps: TaskPortDeps): void {
  app.get<{ Params: { id: string } }>("/_sim/tasks/:id/ports", async (req, reply) => {
    const found = deps.findTask(decodeURIComponent(req.params.id));
    if (!found) return adminError(reply, 404, "NotFound", `No task ${req.params.id} is known.`);
    const { task, hostBindings } = found;
    if (deps.runtimeKind === "simulated") {
      return {
        taskArn: task.taskArn,
        lastStatus: task.lastStatus,
        ...(task.containerInstanceArn ? { containerInstanceArn: task.containerInstanceArn } : {}),
        message: "The simulated runtime runs no containers: nothing listens on this machine.",
        containers: (task.containers ?? []).map((c) => ({
          name: c.name,
          ports: (c.networkBindings ?? []).map((b) => ({ containerPort: b.containerPort, protocol: b.protocol ?? "tcp", hostPort: b.hostPort })),
        })),
      };
    }
    const containers = (task.containers ?? []).map((c) => {
      const reported = c.networkBindings ?? [];
      const real = hostBindings?.[c.name!] ?? [];
      return {
        name: c.name,
        ports: real.map((b, i) => {
          // Both lists come from one walk over the mappings; a reported entry pairs by position.
          const ecs = reported.length === real.length ? reported[i] : undefined;
          const address = b.bindIP === "0.0.0.0" || !b.bindIP ? "127.0.0.1" : b.bindIP;
          return {
            containerPort: b.containerPort,
            protocol: b.protocol ?? "tcp",
            ...(ecs?.hostPort !== undefined ? { hostPort: ecs.hostPort } : {}),
            localAddress: address,
            localPort: b.hostPort,
            ...((b.protocol ?? "tcp") === "tcp" ? { url: `http://${address.includes(":") ? `[${address}]` : address}:${b.hostPort}` } : {}),
          };
        }),
      };
    });
    return {
      taskArn: task.taskArn,
      lastStatus: task.lastStatus,
      ...(task.containerInstanceArn ? { containerInstanceArn: task.containerInstanceArn } : {}),
      containers,
    };
  });
}
