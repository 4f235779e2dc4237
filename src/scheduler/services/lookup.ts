import type { ClusterService } from "../../domain/clusters.js";
import type { Scope } from "../../domain/scope.js";
import {
  InvalidParameterException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  TaskSetNotFoundException,
} from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import { Arn, nameFromArnOrName, parseArn } from "../../state/arn.js";
import type { RegionState, ServiceRecord, Store } from "../../state/store.js";
import { internalOf } from "./internal.js";

export type ServiceLookup = ReturnType<typeof createServiceLookup>;

/** Finding a service, one of its task sets or one of its child ARNs from what a request names. */
export function createServiceLookup(deps: { store: Store; clusters: ClusterService }) {
  function region(scope: Scope): RegionState {
    return deps.store.region(scope.account, scope.region);
  }

  /** The service by name or ARN in the cluster, whatever its status. */
  function find(scope: Scope, clusterName: string, ref: string): ServiceRecord | undefined {
    const arn = Arn.service(scope, clusterName, nameFromArnOrName(ref));
    if (ref.startsWith("arn:") && ref !== arn) return undefined;
    return region(scope).services.get(arn);
  }

  function require(scope: Scope, clusterRef: string | undefined, serviceRef: string): ServiceRecord {
    const cluster = deps.clusters.resolveExisting(scope, clusterRef).cluster;
    const record = find(scope, cluster.clusterName!, serviceRef);
    if (!record) throw new ServiceNotFoundException(Messages.serviceNotFound);
    return record;
  }

  /** An ACTIVE service, for the calls that change it. */
  function requireActive(scope: Scope, clusterRef: string | undefined, serviceRef: string): ServiceRecord {
    const record = require(scope, clusterRef, serviceRef);
    if (record.service.status !== "ACTIVE") throw new ServiceNotActiveException(Messages.serviceNotActive);
    return record;
  }

  /** An ACTIVE service with a task-set controller; task sets of ECS-controller services do not exist. */
  function requireTaskSetService(scope: Scope, clusterRef: string, serviceRef: string): ServiceRecord {
    const record = requireActive(scope, clusterRef, serviceRef);
    if (internalOf(record).controller === "ECS") throw new InvalidParameterException(Messages.taskSetsNeedController);
    return record;
  }

  function requireTaskSet(scope: Scope, clusterRef: string, serviceRef: string, taskSetRef: string) {
    const record = requireTaskSetService(scope, clusterRef, serviceRef);
    const ts = internalOf(record).taskSets.find((t) => t.arn === taskSetRef || t.id === taskSetRef);
    if (!ts) throw new TaskSetNotFoundException(Messages.taskSetNotFound);
    return { record, ts };
  }

  /** The service a service-deployment or service-revision ARN belongs to, in the caller's account and region. */
  function serviceOfChildArn(scope: Scope, arn: string, type: "service-deployment" | "service-revision"): ServiceRecord | undefined {
    const parsed = parseArn(arn);
    if (!parsed || parsed.resourceType !== type || parsed.account !== scope.account || parsed.region !== scope.region) return undefined;
    const [cluster, service] = parsed.resource.split("/");
    if (!cluster || !service) return undefined;
    return region(scope).services.get(Arn.service(scope, cluster, service));
  }

  function findServiceDeployment(scope: Scope, arn: string) {
    const record = serviceOfChildArn(scope, arn, "service-deployment");
    const sd = record ? internalOf(record).serviceDeployments.find((s) => s.arn === arn) : undefined;
    return record && sd ? { record, sd } : undefined;
  }

  return { region, find, require, requireActive, requireTaskSetService, requireTaskSet, serviceOfChildArn, findServiceDeployment };
}
