import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { AutoScalingGroupError, type AutoScalingGroups } from "../../autoscaling-groups/groups.js";
import type { ManagedScaling } from "../../autoscaling-groups/managed-scaling.js";
import { AutoScalingGroupSpecSchema } from "../../autoscaling-groups/schema.js";
import type { AutoScalingGroupRecord } from "../../autoscaling-groups/types.js";
import { formatZodIssues } from "../../config.js";
import type { Scope } from "../../domain/scope.js";
import type { Store } from "../../state/store.js";
import { adminError, badRequest, jsonBody } from "./errors.js";

const Where = { account: z.string().regex(/^\d{12}$/).optional(), region: z.string().min(1).optional() };
const ScopeQuery = z.object(Where).strict();
const DesiredBody = z.object({ desiredCapacity: z.number().int().min(0), ...Where }).strict();
const UpdateBody = z
  .object({
    minSize: z.number().int().min(0).optional(),
    maxSize: z.number().int().min(0).optional(),
    desiredCapacity: z.number().int().min(0).optional(),
    newInstancesProtectedFromScaleIn: z.boolean().optional(),
    ...Where,
  })
  .strict();
const LifecycleBody = z
  .object({ lifecycleHookName: z.string().min(1), instanceId: z.string().min(1), lifecycleActionResult: z.enum(["CONTINUE", "ABANDON"]), ...Where })
  .strict();
const ProtectionBody = z.object({ instanceIds: z.array(z.string().min(1)).min(1), protectedFromScaleIn: z.boolean(), ...Where }).strict();

export interface AutoScalingGroupRoutesDeps {
  groups: AutoScalingGroups;
  scaling: ManagedScaling;
  store: Store;
  defaults: Scope;
}

/**
 * Simulated EC2 Auto Scaling groups on the admin API (there is no EC2 here):
 *   GET  /_sim/autoscaling-groups                          groups, instances, activities, and per capacity provider
 *                                                          the CapacityProviderReservation history and scaling actions
 *   POST /_sim/autoscaling-groups                          {name, minSize, maxSize, desiredCapacity?, instanceType, ...}
 *   PUT  /_sim/autoscaling-groups/:name                    {minSize?, maxSize?, desiredCapacity?, newInstancesProtectedFromScaleIn?}
 *   PUT  /_sim/autoscaling-groups/:name/desired-capacity   {desiredCapacity}
 *   PUT  /_sim/autoscaling-groups/:name/instance-protection {instanceIds, protectedFromScaleIn}
 *   POST /_sim/autoscaling-groups/:name/lifecycle-actions  {lifecycleHookName, instanceId, lifecycleActionResult}
 * `account` and `region` (query or body) default to the simulator's.
 */
export function registerAutoScalingGroupRoutes(app: FastifyInstance, deps: AutoScalingGroupRoutesDeps): void {
  const scopeOf = (w: { account?: string | undefined; region?: string | undefined }): Scope => ({
    account: w.account ?? deps.defaults.account,
    region: w.region ?? deps.defaults.region,
  });

  app.get("/_sim/autoscaling-groups", async (request, reply) => {
    const query = ScopeQuery.safeParse(request.query ?? {});
    if (!query.success) return badRequest(reply, formatZodIssues(query.error));
    const scope = scopeOf(query.data);
    const scaling = deps.scaling.view(scope);
    const providers = deps.store.region(scope.account, scope.region).capacityProviders;
    return {
      account: scope.account,
      region: scope.region,
      armed: deps.scaling.armed,
      groups: deps.groups.list(scope).map((g) => {
        const provider = [...providers.values()].find(
          (p) => p.provider.status === "ACTIVE" && [g.arn, g.name].includes(p.provider.autoScalingGroupProvider?.autoScalingGroupArn ?? ""),
        )?.provider.name;
        return { ...view(g), ...(provider ? { capacityProvider: provider, managedScaling: scaling[provider] ?? null } : {}) };
      }),
    };
  });

  app.post("/_sim/autoscaling-groups", async (request, reply) => {
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    const parsed = AutoScalingGroupSpecSchema.safeParse(body);
    if (!parsed.success) return badRequest(reply, `invalid group: ${formatZodIssues(parsed.error)}`);
    return run(reply, () => ({ group: view(deps.groups.create(scopeOf(parsed.data), parsed.data)) }));
  });

  const withBody = <S extends z.ZodTypeAny>(schema: S, path: string, act: (name: string, body: z.infer<S>, scope: Scope) => AutoScalingGroupRecord | void) =>
    async (request: { params: unknown; body: unknown }, reply: FastifyReply) => {
      const body = jsonBody(request.body, false);
      if (body instanceof Error) return badRequest(reply, body.message);
      const parsed = schema.safeParse(body);
      if (!parsed.success) return badRequest(reply, `invalid ${path}: ${formatZodIssues(parsed.error)}`);
      const name = (request.params as { name: string }).name;
      const scope = scopeOf(parsed.data);
      return run(reply, () => {
        act(name, parsed.data, scope);
        return { group: view(deps.groups.get(scope, name)) };
      });
    };

  app.put("/_sim/autoscaling-groups/:name", withBody(UpdateBody, "update", (name, b, scope) => deps.groups.update(scope, name, b)));
  app.put(
    "/_sim/autoscaling-groups/:name/desired-capacity",
    withBody(DesiredBody, "desired capacity", (name, b, scope) => deps.groups.setDesiredCapacity(scope, name, b.desiredCapacity)),
  );
  app.put(
    "/_sim/autoscaling-groups/:name/instance-protection",
    withBody(ProtectionBody, "instance protection", (name, b, scope) => deps.groups.setInstanceProtection(scope, name, b.instanceIds, b.protectedFromScaleIn)),
  );
  app.post(
    "/_sim/autoscaling-groups/:name/lifecycle-actions",
    withBody(LifecycleBody, "lifecycle action", (name, b, scope) =>
      deps.groups.completeLifecycleAction(scope, name, b.lifecycleHookName, b.instanceId, b.lifecycleActionResult),
    ),
  );
}

function run(reply: FastifyReply, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AutoScalingGroupError) {
      return err.notFound ? adminError(reply, 404, "NotFound", err.message) : badRequest(reply, err.message);
    }
    throw err;
  }
}

function view(g: AutoScalingGroupRecord) {
  return {
    name: g.name,
    arn: g.arn,
    minSize: g.minSize,
    maxSize: g.maxSize,
    desiredCapacity: g.desiredCapacity,
    instanceType: g.instanceType,
    availabilityZones: g.availabilityZones,
    cluster: g.cluster ?? null,
    newInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    lifecycleHooks: g.lifecycleHooks,
    bootDelayMs: g.bootDelayMs,
    instances: g.instances.map((i) => ({
      ...i,
      launchedAt: new Date(i.launchedAt).toISOString(),
      inServiceAt: new Date(i.inServiceAt).toISOString(),
      ...(i.heartbeatDeadline !== undefined ? { heartbeatDeadline: new Date(i.heartbeatDeadline).toISOString() } : {}),
    })),
    activities: g.activities.slice(-50).map((a) => ({ ...a, time: new Date(a.time).toISOString() })),
  };
}
