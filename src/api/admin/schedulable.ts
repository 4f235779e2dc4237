import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { formatZodIssues } from "../../config.js";
import type { ClusterService } from "../../domain/clusters.js";
import type { Scope } from "../../domain/scope.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import { AwsError } from "../../errors/aws-errors.js";
import { schedulableReport, taskRequirements } from "../../scheduler/ec2-placement/index.js";
import type { TaskRequirements } from "../../scheduler/ec2-placement/types.js";
import type { ContainerInstances } from "../../scheduler/instances/index.js";
import { adminError, badRequest } from "./errors.js";

/**
 * GET /_sim/schedulable?cluster=&(taskDefinition=family[:rev] | cpu=&memory=)[&capacityProvider=]
 * How many more tasks of one size the cluster can place, instance by instance and per capacity
 * provider: the "schedulable containers" figure operators compute by hand to scale EC2 clusters,
 * because ECS itself signals no placement failure. Counts follow placement's own checks
 * (resources, ports, interfaces, attributes, constraints of the task definition).
 */
const Query = z
  .object({
    cluster: z.string().min(1).default("default"),
    taskDefinition: z.string().min(1).optional(),
    cpu: z.coerce.number().int().min(0).optional(),
    memory: z.coerce.number().int().min(0).optional(),
    capacityProvider: z.string().min(1).optional(),
    account: z.string().optional(),
    region: z.string().optional(),
  })
  .strict()
  .refine((q) => (q.taskDefinition === undefined) !== (q.cpu === undefined && q.memory === undefined), {
    message: "give either taskDefinition or cpu and memory",
  });

export function registerSchedulableRoute(
  app: FastifyInstance,
  deps: { instances: ContainerInstances; clusters: ClusterService; taskDefinitions: TaskDefinitionRegistry; defaults: Scope },
): void {
  app.get("/_sim/schedulable", async (request, reply) => {
    const parsed = Query.safeParse(request.query ?? {});
    if (!parsed.success) return badRequest(reply, formatZodIssues(parsed.error));
    const q = parsed.data;
    const scope: Scope = { account: q.account ?? deps.defaults.account, region: q.region ?? deps.defaults.region };
    let req: TaskRequirements;
    let constraints;
    try {
      deps.clusters.resolveExisting(scope, q.cluster);
      if (q.taskDefinition) {
        const def = deps.taskDefinitions.resolveForLaunch(scope, q.taskDefinition);
        req = taskRequirements(def);
        constraints = def.placementConstraints;
      } else {
        req = { cpu: q.cpu ?? 0, memory: q.memory ?? 0, gpus: 0, hostPorts: [], dynamicPorts: [], awsvpc: false, requiredAttributes: [] };
      }
    } catch (err) {
      if (err instanceof AwsError) return adminError(reply, 404, "NotFound", err.message);
      throw err;
    }
    const candidates = deps.instances.placementCandidates(scope, q.cluster, q.capacityProvider);
    const providerOf = new Map(
      deps.instances.registry.inCluster(scope, q.cluster).map((r) => [r.instance.containerInstanceArn!, r.instance.capacityProviderName ?? null]),
    );
    const zoneOf = (arn: string) => candidates.find((c) => c.arn === arn)?.attributes["ecs.availability-zone"] ?? null;
    const report = schedulableReport(candidates, req, constraints ?? []);
    const groups = new Map<string | null, typeof report.instances>();
    for (const row of report.instances) {
      const provider = providerOf.get(row.arn) ?? null;
      groups.set(provider, [...(groups.get(provider) ?? []), row]);
    }
    return {
      cluster: q.cluster,
      task: { cpu: req.cpu, memory: req.memory },
      total: report.total,
      capacityProviders: [...groups].map(([name, rows]) => ({
        capacityProvider: name,
        total: rows.reduce((sum, r) => sum + r.schedulable, 0),
        instances: rows.map((r) => ({
          containerInstanceArn: r.arn,
          ec2InstanceId: r.ec2InstanceId,
          availabilityZone: zoneOf(r.arn),
          schedulable: r.schedulable,
        })),
      })),
    };
  });
}
