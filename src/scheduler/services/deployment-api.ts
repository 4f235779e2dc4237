import type { Failure, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision } from "@aws-sdk/client-ecs";
import type { Clock } from "../../core/clock.js";
import { paginate } from "../../domain/pagination.js";
import type { Scope } from "../../domain/scope.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import { ConflictException, ServiceDeploymentNotFoundException } from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import { endServiceDeployment, rollbackTarget, type Deployments } from "./deployments.js";
import { internalOf } from "./internal.js";
import type { ServiceLookup } from "./lookup.js";
import type { ReconcileLoop } from "./loop.js";
import { serviceDeploymentBrief, serviceDeploymentView, serviceRevisionView } from "./views.js";

export interface ListServiceDeploymentsInput {
  service: string;
  cluster?: string;
  status?: string[];
  createdAt?: { before?: number | string; after?: number | string };
  maxResults?: number;
  nextToken?: string;
}

export type DeploymentApi = ReturnType<typeof createDeploymentApi>;

/** ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions and StopServiceDeployment. */
export function createDeploymentApi(deps: {
  clock: Clock;
  taskDefinitions: TaskDefinitionRegistry;
  lookup: ServiceLookup;
  ownedTasks: (record: ServiceRecord) => TaskRecord[];
  deployments: Pick<Deployments, "rollBack">;
  loop: Pick<ReconcileLoop, "kick">;
}) {
  const { lookup } = deps;

  /** Newest first. */
  function listServiceDeployments(scope: Scope, input: ListServiceDeploymentsInput): { serviceDeployments: ServiceDeploymentBrief[]; nextToken?: string } {
    const record = lookup.require(scope, input.cluster, input.service);
    const before = toMs(input.createdAt?.before);
    const after = toMs(input.createdAt?.after);
    const list = [...internalOf(record).serviceDeployments]
      .reverse()
      .filter((sd) => !input.status?.length || input.status.includes(sd.status))
      .filter((sd) => (before === undefined || sd.createdAt < before) && (after === undefined || sd.createdAt > after))
      .map((sd) => serviceDeploymentBrief(record, sd));
    const { page, nextToken } = paginate(list, { maxResults: input.maxResults, nextToken: input.nextToken, kind: "serviceDeployments", defaultMax: 20, maxAllowed: 100 });
    return { serviceDeployments: page, ...(nextToken ? { nextToken } : {}) };
  }

  function describeServiceDeployments(scope: Scope, arns: string[]): { serviceDeployments: ServiceDeployment[]; failures: Failure[] } {
    const serviceDeployments: ServiceDeployment[] = [];
    const failures: Failure[] = [];
    for (const arn of arns) {
      const found = lookup.findServiceDeployment(scope, arn);
      if (found) serviceDeployments.push(serviceDeploymentView(found.record, found.sd, deps.ownedTasks(found.record)));
      else failures.push({ arn, reason: "MISSING" });
    }
    return { serviceDeployments, failures };
  }

  function describeServiceRevisions(scope: Scope, arns: string[]): { serviceRevisions: ServiceRevision[]; failures: Failure[] } {
    const serviceRevisions: ServiceRevision[] = [];
    const failures: Failure[] = [];
    for (const arn of arns) {
      const record = lookup.serviceOfChildArn(scope, arn, "service-revision");
      const revision = record ? internalOf(record).revisions.find((r) => r.arn === arn) : undefined;
      if (!record || !revision) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      const def = deps.taskDefinitions.find(scope, revision.config.taskDefinitionArn)?.record.definition;
      const images = (def?.containerDefinitions ?? []).map((c) => ({ containerName: c.name!, image: c.image! }));
      serviceRevisions.push(serviceRevisionView(record, revision.arn, revision.config, revision.createdAt, images));
    }
    return { serviceRevisions, failures };
  }

  /** Fails the in-progress deployment on the user's word; ROLLBACK goes back to the last completed revision if there is one. */
  function stopServiceDeployment(scope: Scope, arn: string, stopType: "ABORT" | "ROLLBACK" = "ROLLBACK"): { serviceDeploymentArn: string } {
    const found = lookup.findServiceDeployment(scope, arn);
    if (!found) throw new ServiceDeploymentNotFoundException(Messages.serviceDeploymentNotFound);
    const { record, sd } = found;
    const internal = internalOf(record);
    if (sd.status !== "IN_PROGRESS" || record.service.status !== "ACTIVE") {
      throw new ConflictException(Messages.serviceDeploymentNotInProgress, [arn]);
    }
    const target = internal.deployments.find((d) => d.serviceDeploymentArn === sd.arn && d.status === "PRIMARY");
    const now = deps.clock.now();
    if (target) {
      target.rolloutState = "FAILED";
      target.rolloutStateReason = Messages.deploymentStoppedByUser(target.id);
      target.updatedAt = now;
    }
    const last = stopType === "ROLLBACK" && target ? rollbackTarget(internal, target) : undefined;
    if (target && last) {
      const reason = Messages.deploymentStoppedByUser(target.id);
      deps.deployments.rollBack(record, target, last, sd, { statusReason: reason, rollbackReason: reason }, now);
    } else {
      endServiceDeployment(sd, "STOPPED", target ? Messages.deploymentStoppedByUser(target.id) : undefined, now);
    }
    deps.loop.kick(record.service.serviceArn!);
    return { serviceDeploymentArn: arn };
  }

  return { listServiceDeployments, describeServiceDeployments, describeServiceRevisions, stopServiceDeployment };
}

/** Timestamps arrive as epoch seconds or milliseconds (the SDK sends seconds), or as date strings. */
function toMs(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v < 1e11 ? v * 1000 : v;
  const parsed = Date.parse(v);
  return Number.isNaN(parsed) ? undefined : parsed;
}
