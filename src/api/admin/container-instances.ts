import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { formatZodIssues } from "../../config.js";
import { InstanceRequestSchema } from "../../domain/container-instances/spec-schema.js";
import type { Scope } from "../../domain/scope.js";
import { AwsError } from "../../errors/aws-errors.js";
import type { ContainerInstances } from "../../scheduler/instances/index.js";
import type { ContainerInstanceRecord } from "../../state/store.js";
import { adminError, badRequest, jsonBody } from "./errors.js";

/**
 * Admin routes for simulated EC2 container instances (simulator-only):
 *   POST /_sim/container-instances   {cluster, instanceType, count?, availabilityZone? | availabilityZones?,
 *                                     attributes?: {name: value|null}, capacityProvider?, awsvpcTrunking?,
 *                                     spotInstanceDraining?, account?, region?} -> {containerInstances: [...]}
 *   GET  /_sim/container-instances[?cluster=]    every instance, INACTIVE ones included
 *   POST /_sim/container-instances/:id/agent     {connected: false|true}: the agent disconnects or comes back
 *   POST /_sim/container-instances/:id/terminate {spotNotice?: true}: EC2 terminates the instance (after a
 *                                                two-minute notice with spotNotice; DRAINING meanwhile when the
 *                                                instance has spot instance draining on)
 * `:id` is the EC2 instance id, the container instance id or its ARN.
 */
const AgentBody = z.object({ connected: z.boolean(), account: z.string().optional(), region: z.string().optional() }).strict();
const TerminateBody = z
  .object({ spotNotice: z.boolean().default(false), account: z.string().optional(), region: z.string().optional() })
  .strict();

export function registerContainerInstanceAdminRoutes(app: FastifyInstance, instances: ContainerInstances, defaults: Scope): void {
  const scopeOf = (b: { account?: string; region?: string }): Scope => ({
    account: b.account ?? defaults.account,
    region: b.region ?? defaults.region,
  });

  const find = (scope: Scope, id: string): ContainerInstanceRecord | undefined => {
    const state = instances.registry.state(scope);
    for (const r of state.containerInstances.values()) {
      const arn = r.instance.containerInstanceArn!;
      if (r.instance.ec2InstanceId === id || arn === id || arn.endsWith(`/${id}`)) return r;
    }
    return undefined;
  };

  app.post("/_sim/container-instances", async (request, reply) => {
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    const parsed = InstanceRequestSchema.safeParse(body);
    if (!parsed.success) return badRequest(reply, formatZodIssues(parsed.error));
    const req = parsed.data;
    const scope = scopeOf(req);
    try {
      const records = instances.launchRequest(scope, req, "admin");
      return { containerInstances: records.map((r) => instances.view(scope, r)) };
    } catch (err) {
      if (err instanceof AwsError) return badRequest(reply, err.message);
      throw err;
    }
  });

  app.get("/_sim/container-instances", async (request) => {
    const q = (request.query ?? {}) as { cluster?: string; account?: string; region?: string };
    const scope = scopeOf(q);
    const rows = [...instances.registry.state(scope).containerInstances.values()].filter((r) => !q.cluster || r.clusterName === q.cluster);
    return {
      containerInstances: rows.map((r) => ({
        cluster: r.clusterName,
        instanceType: r.instanceType,
        availabilityZone: r.availabilityZone,
        origin: r.origin,
        ...(r.autoScalingGroupName ? { autoScalingGroupName: r.autoScalingGroupName } : {}),
        ...instances.view(scope, r),
      })),
    };
  });

  app.post<{ Params: { id: string } }>("/_sim/container-instances/:id/agent", async (request, reply) => {
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    const parsed = AgentBody.safeParse(body);
    if (!parsed.success) return badRequest(reply, formatZodIssues(parsed.error));
    const scope = scopeOf(parsed.data);
    const record = find(scope, request.params.id);
    if (!record) return adminError(reply, 404, "NotFound", `no container instance ${request.params.id}`);
    instances.lifecycle.setAgentConnected(scope, record, parsed.data.connected);
    return { containerInstance: instances.view(scope, record) };
  });

  app.post<{ Params: { id: string } }>("/_sim/container-instances/:id/terminate", async (request, reply) => {
    const body = jsonBody(request.body, true);
    if (body instanceof Error) return badRequest(reply, body.message);
    const parsed = TerminateBody.safeParse(body);
    if (!parsed.success) return badRequest(reply, formatZodIssues(parsed.error));
    const scope = scopeOf(parsed.data);
    const record = find(scope, request.params.id);
    if (!record) return adminError(reply, 404, "NotFound", `no container instance ${request.params.id}`);
    instances.lifecycle.terminate(scope, record.instance.ec2InstanceId!, { spotNotice: parsed.data.spotNotice });
    return { containerInstance: instances.view(scope, record) };
  });
}
