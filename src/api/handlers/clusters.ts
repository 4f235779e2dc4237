import type { ClusterInclude } from "../../domain/clusters.js";
import { paginate } from "../../domain/pagination.js";
import { ecsOperation, type OperationTable } from "../operation.js";
import {
  CreateClusterSchema,
  DeleteClusterSchema,
  DescribeClustersSchema,
  ListClustersSchema,
  PutClusterCapacityProvidersSchema,
  UpdateClusterSchema,
  UpdateClusterSettingsSchema,
} from "../schemas/clusters.js";
import type { Domain } from "./domain.js";

export function clusterOperations(d: Domain): OperationTable {
  return {
    CreateCluster: ecsOperation("CreateCluster", CreateClusterSchema, (input, req) => ({ cluster: d.clusters.create(req.scope, input) })),
    DescribeClusters: ecsOperation("DescribeClusters", DescribeClustersSchema, (input, req) =>
      d.clusters.describe(req.scope, input.clusters, (input.include ?? []) as ClusterInclude[]),
    ),
    ListClusters: ecsOperation("ListClusters", ListClustersSchema, (input, req) => {
      const { page, nextToken } = paginate(d.clusters.listArns(req.scope), { ...input, kind: "clusters" });
      return { clusterArns: page, ...(nextToken ? { nextToken } : {}) };
    }),
    UpdateCluster: ecsOperation("UpdateCluster", UpdateClusterSchema, (input, req) => ({
      cluster: d.clusters.update(req.scope, input.cluster, input),
    })),
    UpdateClusterSettings: ecsOperation("UpdateClusterSettings", UpdateClusterSettingsSchema, (input, req) => ({
      cluster: d.clusters.update(req.scope, input.cluster, { settings: input.settings }),
    })),
    DeleteCluster: ecsOperation("DeleteCluster", DeleteClusterSchema, (input, req) => ({ cluster: d.clusters.delete(req.scope, input.cluster) })),
    PutClusterCapacityProviders: ecsOperation("PutClusterCapacityProviders", PutClusterCapacityProvidersSchema, (input, req) => ({
      cluster: d.clusters.putCapacityProviders(req.scope, input.cluster, input.capacityProviders, input.defaultCapacityProviderStrategy),
    })),
  };
}
