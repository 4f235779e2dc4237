import { CapacityProviderService } from "../../domain/asg-capacity-providers.js";
import { paginate } from "../../domain/pagination.js";
import { ecsOperation, type OperationTable } from "../operation.js";
import {
  CreateCapacityProviderSchema,
  DeleteCapacityProviderSchema,
  DescribeCapacityProvidersSchema,
  UpdateCapacityProviderSchema,
} from "../schemas/capacity-providers.js";
import type { Domain } from "./domain.js";

export function capacityProviderOperations(d: Domain): OperationTable {
  const providers = d.capacityProviders ?? new CapacityProviderService(d.ctx, d.tags);
  return {
    CreateCapacityProvider: ecsOperation("CreateCapacityProvider", CreateCapacityProviderSchema, (input, req) => ({
      capacityProvider: providers.create(req.scope, input),
    })),
    UpdateCapacityProvider: ecsOperation("UpdateCapacityProvider", UpdateCapacityProviderSchema, (input, req) => ({
      capacityProvider: providers.update(req.scope, input.name, input.autoScalingGroupProvider),
    })),
    DeleteCapacityProvider: ecsOperation("DeleteCapacityProvider", DeleteCapacityProviderSchema, (input, req) => ({
      capacityProvider: providers.delete(req.scope, input.capacityProvider),
    })),
    DescribeCapacityProviders: ecsOperation("DescribeCapacityProviders", DescribeCapacityProvidersSchema, (input, req) => {
      const { capacityProviders, failures } = providers.describe(req.scope, input.capacityProviders, input.include?.includes("TAGS") ?? false);
      const { page, nextToken } = paginate(capacityProviders, { ...input, kind: "capacityProviders", defaultMax: 10 });
      return { capacityProviders: page, failures, ...(nextToken ? { nextToken } : {}) };
    }),
  };
}
