import type { ClusterInclude } from "../../domain/clusters.js";
import { describeFargateProvider, FARGATE_PROVIDERS, isFargateProvider } from "../../domain/capacity-providers.js";
import { paginate } from "../../domain/pagination.js";
import { operation, type OperationTable } from "../operation.js";
import {
  CreateClusterSchema,
  DeleteClusterSchema,
  DescribeCapacityProvidersSchema,
  DescribeClustersSchema,
  ListClustersSchema,
  PutClusterCapacityProvidersSchema,
  UpdateClusterSchema,
  UpdateClusterSettingsSchema,
} from "../schemas/clusters.js";
import type { Domain } from "./domain.js";

export function clusterOperations(d: Domain): OperationTable {
  return {
    CreateCluster: operation(CreateClusterSchema, (input, req) => ({ cluster: d.clusters.create(req.scope, input) })),
    DescribeClusters: operation(DescribeClustersSchema, (input, req) =>
      d.clusters.describe(req.scope, input.clusters, (input.include ?? []) as ClusterInclude[]),
    ),
    ListClusters: operation(ListClustersSchema, (input, req) => {
      const { page, nextToken } = paginate(d.clusters.listArns(req.scope), { ...input, kind: "clusters" });
      return { clusterArns: page, ...(nextToken ? { nextToken } : {}) };
    }),
    UpdateCluster: operation(UpdateClusterSchema, (input, req) => ({
      cluster: d.clusters.update(req.scope, input.cluster, input),
    })),
    UpdateClusterSettings: operation(UpdateClusterSettingsSchema, (input, req) => ({
      cluster: d.clusters.update(req.scope, input.cluster, { settings: input.settings }),
    })),
    DeleteCluster: operation(DeleteClusterSchema, (input, req) => ({ cluster: d.clusters.delete(req.scope, input.cluster) })),
    PutClusterCapacityProviders: operation(PutClusterCapacityProvidersSchema, (input, req) => ({
      cluster: d.clusters.putCapacityProviders(req.scope, input.cluster, input.capacityProviders, input.defaultCapacityProviderStrategy),
    })),
    DescribeCapacityProviders: operation(DescribeCapacityProvidersSchema, (input, req) => {
      const names = input.capacityProviders?.length ? input.capacityProviders : [...FARGATE_PROVIDERS];
      const capacityProviders = [];
      const failures = [];
      for (const ref of names) {
        const name = ref.split("/").pop()!;
        if (isFargateProvider(name)) {
          const provider = describeFargateProvider(req.scope, name);
          provider.tags = input.include?.includes("TAGS") ? d.tags.get(provider.capacityProviderArn!, req.scope) : [];
          capacityProviders.push(provider);
        } else {
          failures.push({ arn: ref, reason: "MISSING" });
        }
      }
      const { page, nextToken } = paginate(capacityProviders, { ...input, kind: "capacityProviders", defaultMax: 10 });
      return { capacityProviders: page, failures, ...(nextToken ? { nextToken } : {}) };
    }),
  };
}
