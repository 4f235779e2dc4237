import type { SimContext } from "../../context.js";
import type { CapacityProviderService } from "../../domain/asg-capacity-providers.js";
import type { AccountSettingsService } from "../../domain/account-settings.js";
import type { ClusterService } from "../../domain/clusters.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import type { TaskScheduler } from "../../scheduler/tasks.js";
import type { ServiceScheduler } from "../../scheduler/services/service-scheduler.js";
import type { ContainerInstances } from "../../scheduler/instances/index.js";

/** What the handlers call: the domain services, never the store directly. */
export interface Domain {
  ctx: SimContext;
  clusters: ClusterService;
  taskDefinitions: TaskDefinitionRegistry;
  tags: TagService;
  settings: AccountSettingsService;
  tasks: TaskScheduler;
  /** Container instances of the EC2 launch type. */
  instances: ContainerInstances;
  /** Auto Scaling group capacity providers; built from ctx and tags when the root does not pass one. */
  capacityProviders?: CapacityProviderService;
  /** The service scheduler (services, deployments, task sets). */
  services?: ServiceScheduler;
}
