import type { ContainerInstance, Failure } from "@aws-sdk/client-ecs";
import type { ClusterService } from "../../domain/clusters.js";
import { ContainerInstanceAttributes } from "../../domain/container-instances/attributes.js";
import type { ContainerInstanceRegistry } from "../../domain/container-instances/registry.js";
import { describeView } from "../../domain/container-instances/views.js";
import { describeEach } from "../../domain/describe-each.js";
import { paginate } from "../../domain/pagination.js";
import type { Scope } from "../../domain/scope.js";
import type { TagService } from "../../domain/tags.js";
import { InvalidParameterException } from "../../errors/aws-errors.js";
import { zoneFor, type InstanceRequest, type InstanceSelector } from "../../domain/container-instances/spec-schema.js";
import { Arn } from "../../state/arn.js";
import type { ContainerInstanceRecord } from "../../state/store.js";
import { compileClusterQuery, filterByQuery } from "../ec2-placement/index.js";
import type { CandidateInstance } from "../ec2-placement/types.js";
import { candidateView } from "./candidates.js";
import type { InstanceLifecycle } from "./lifecycle.js";

export { InstanceLifecycle, SPOT_INSTANCE_NOTICE_MS } from "./lifecycle.js";
export { candidateView } from "./candidates.js";

const LISTABLE = new Set(["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"]);

/** The container instance operations as the API sees them: registry, lifecycle and attributes behind one door. */
export class ContainerInstances {
  readonly attributes: ContainerInstanceAttributes;

  constructor(
    readonly registry: ContainerInstanceRegistry,
    readonly lifecycle: InstanceLifecycle,
    private readonly clusters: ClusterService,
    private readonly tags: TagService,
  ) {
    this.attributes = new ContainerInstanceAttributes(registry);
  }

  clusterName(scope: Scope, ref: string | undefined): string {
    return this.clusters.resolveExisting(scope, ref).cluster.clusterName!;
  }

  view(scope: Scope, record: ContainerInstanceRecord, includeTags = false): ContainerInstance {
    const tags = includeTags ? this.tags.get(record.instance.containerInstanceArn!, scope) : [];
    return describeView(this.registry.state(scope), record, tags);
  }

  describe(scope: Scope, clusterRef: string | undefined, refs: string[], includeTags: boolean) {
    const clusterName = this.clusterName(scope, clusterRef);
    if (refs.length === 0) throw new InvalidParameterException("Container instances cannot be empty.");
    if (refs.length > 100) throw new InvalidParameterException("The number of container instances must be less than or equal to 100.");
    const { found, failures } = describeEach(
      refs,
      (ref) => this.registry.find(scope, clusterName, ref),
      (id) => Arn.containerInstance(scope, clusterName, id),
      (record) => this.view(scope, record, includeTags),
    );
    return { containerInstances: found, failures: failures as Failure[] };
  }

  list(scope: Scope, input: { cluster?: string; filter?: string; status?: string; maxResults?: number; nextToken?: string }) {
    const clusterName = this.clusterName(scope, input.cluster);
    const matches = input.filter ? compileClusterQuery(input.filter) : undefined;
    let records = this.registry
      .inCluster(scope, clusterName, input.status)
      .filter((r) => (input.status ? true : LISTABLE.has(r.instance.status ?? "")));
    if (matches) {
      const keep = new Set(filterByQuery(this.candidates(scope, records), matches).map((c) => c.arn));
      records = records.filter((r) => keep.has(r.instance.containerInstanceArn!));
    }
    const { page, nextToken } = paginate(
      records.map((r) => r.instance.containerInstanceArn!),
      { maxResults: input.maxResults, nextToken: input.nextToken, kind: "containerInstances" },
    );
    return { containerInstanceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  /** Registers `count` simulated instances at once, spread over the request's zones. */
  launchRequest(scope: Scope, req: InstanceRequest, origin: "admin" | "config"): ContainerInstanceRecord[] {
    return Array.from({ length: req.count }, (_, n) =>
      this.lifecycle.register(
        scope,
        {
          cluster: req.cluster,
          instanceType: req.instanceType,
          availabilityZone: zoneFor(req, scope.region, n),
          attributes: Object.entries(req.attributes).map(([name, value]) => (value === null ? { name } : { name, value })),
          ...(req.capacityProvider ? { capacityProviderName: req.capacityProvider } : {}),
          awsvpcTrunking: req.awsvpcTrunking,
          spotInstanceDraining: req.spotInstanceDraining,
        },
        origin,
      ),
    );
  }

  /** Live instances (not INACTIVE) matching a selector, in registration order. */
  select(scope: Scope, sel: InstanceSelector): ContainerInstanceRecord[] {
    const live = this.registry
      .inCluster(scope, sel.cluster)
      .filter((r) => r.instance.status !== "INACTIVE")
      .filter((r) => !sel.ec2InstanceIds || sel.ec2InstanceIds.includes(r.instance.ec2InstanceId!))
      .filter((r) => !sel.availabilityZone || r.availabilityZone === sel.availabilityZone);
    return sel.count === undefined ? live : live.slice(0, sel.count);
  }

  /** Placement's snapshot of the given instances (by default every instance of the cluster that is not INACTIVE). */
  candidates(scope: Scope, records: ContainerInstanceRecord[]): CandidateInstance[] {
    const state = this.registry.state(scope);
    return records.map((r) => candidateView(state, r));
  }

  /** The instances of a cluster that placement may consider, optionally of one capacity provider. */
  placementCandidates(scope: Scope, clusterName: string, capacityProviderName?: string): CandidateInstance[] {
    const records = this.registry
      .inCluster(scope, clusterName)
      .filter((r) => r.instance.status !== "INACTIVE")
      .filter((r) => capacityProviderName === undefined || r.instance.capacityProviderName === capacityProviderName);
    return this.candidates(scope, records);
  }
}
