import { CapacityProviderService } from "../../domain/asg-capacity-providers.js";
import { paginate } from "../../domain/pagination.js";
import { operation, type OperationTable } from "../operation.js";
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
    CreateCapacityProvider: operation(CreateCapacityProviderSchema, (input, req) => ({
      capacityProvider: providers.create(req.scope, input),
    })),
    UpdateCapacityProvider: operation(UpdateCapacityProviderSchema, (input, req) => ({
      capacityProvider: providers.update(req.scope, input.name, input.autoScalingGroupProvider),
    })),
    DeleteCapacityProvider: operation(DeleteCapacityProviderSchema, (input, req) => ({
      capacityProvider: providers.delete(req.scope, input.capacityProvider),
    })),
    DescribeCapacityProviders: operation(DescribeCapacityProvidersSchema, (input, req) => {
      const { capacityProviders, failures } = providers.describe(req.scope, input.capacityProviders, input.include?.includes("TAGS") ?? false);
      const { page, nextToken } = paginate(capacityProviders, { ...input, kind: "capacityProviders", defaultMax: 10 });
      return { capacityProviders: page, failures, ...(nextToken ? { nextToken } : {}) };
    }),
  };
}
