import type { OperationTable } from "../operation.js";
import { capacityProviderOperations } from "./capacity-providers.js";
import { clusterOperations } from "./clusters.js";
import { containerInstanceOperations } from "./container-instances.js";
import type { Domain } from "./domain.js";
import { tagAndSettingOperations } from "./tags-settings.js";
import { taskDefinitionOperations } from "./task-definitions.js";
import { taskOperations } from "./tasks.js";

export type { Domain } from "./domain.js";

export function buildOperationTable(d: Domain, extra: OperationTable[] = []): OperationTable {
  return Object.assign(
    {},
    clusterOperations(d),
    capacityProviderOperations(d),
    taskDefinitionOperations(d),
    taskOperations(d),
    containerInstanceOperations(d),
    tagAndSettingOperations(d),
    ...extra,
  );
}
