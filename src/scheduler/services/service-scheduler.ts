import type { CreateServiceRequest, Service, UpdateServiceRequest } from "@aws-sdk/client-ecs";
import type { SimContext } from "../../context.js";
import type { ClusterService } from "../../domain/clusters.js";
import type { Scope } from "../../domain/scope.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import type { LocalLoadBalancers } from "../../loadbalancer/front-door.js";
import type { ServiceRecord } from "../../state/store.js";
import type { TaskScheduler } from "../tasks.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import type { ServicesConfig } from "./config.js";
import { createDeploymentApi } from "./deployment-api.js";
import { createDeployments } from "./deployments.js";
import { createHealthJudge } from "./health.js";
import { internalOf } from "./internal.js";
import { createLauncher } from "./launcher.js";
import { createServiceLookup } from "./lookup.js";
import { createReconcileLoop } from "./loop.js";
import { createReconciler } from "./reconcile.js";
import { createRollingDeployments } from "./rolling.js";
import { createServiceApi } from "./service-api.js";
import { createServiceEvents } from "./service-events.js";
import { ownedTasks } from "./service-tasks.js";
import { createTaskSetApi } from "./task-set-api.js";
import { createTaskSets } from "./task-sets.js";
import { createTargets } from "./targets.js";
import { serviceView } from "./views.js";

export interface ServiceSchedulerDeps {
  ctx: SimContext;
  clusters: ClusterService;
  taskDefinitions: TaskDefinitionRegistry;
  tags: TagService;
  tasks: TaskScheduler;
  config: ServicesConfig;
  /** The local front doors; absent when disabled. Target registration is tracked either way. */
  loadBalancers?: LocalLoadBalancers;
  runtimeKind: string;
}

/**
 * The service scheduler (reference §10): the service API and one reconcile loop per service that
 * keeps the PRIMARY deployment at desiredCount through TaskScheduler.launch (placement, capacity,
 * quotas, runtime: the same path as RunTask), rolls deployments within minimumHealthyPercent and
 * maximumPercent, runs the deployment circuit breaker, logs the service events and publishes the
 * EventBridge service and deployment events. Task sets (CODE_DEPLOY, EXTERNAL) are reconciled by
 * the same loop. Everything runs on the injected clock: a reconcile pass happens right after
 * anything changes (a task transition, an API call) and every `reconcileIntervalMs`.
 *
 * This class only wires the modules of this directory together and is the API's entry point.
 */
export class ServiceScheduler {
  private readonly lookup: ReturnType<typeof createServiceLookup>;
  private readonly health: ReturnType<typeof createHealthJudge>;
  private readonly loop: ReturnType<typeof createReconcileLoop>;
  private readonly services: ReturnType<typeof createServiceApi>;
  private readonly deployments: ReturnType<typeof createDeploymentApi>;
  private readonly taskSets: ReturnType<typeof createTaskSetApi>;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: ServiceSchedulerDeps) {
    const { ctx, config, taskDefinitions, tags, clusters } = deps;
    const { clock, logger, store } = ctx;
    // One stream for every id and event of the scheduler, so a replay draws them in the same order.
    const random = ctx.random.fork("services");
    const owned = (record: ServiceRecord) => ownedTasks(store, record);
    const view = (record: ServiceRecord, includeTags = false) => this.view(record, includeTags);

    const events = createServiceEvents({ clock, logger, bus: ctx.bus, random });
    const lookup = createServiceLookup({ store, clusters });
    const health = createHealthJudge({ taskDefinitions, healthyAfterMs: config.healthyAfterMs });
    const deployments = createDeployments({ clock, random, logger, events });
    const launcher = createLauncher({ store, taskDefinitions, tags, tasks: deps.tasks, config, events, logger, health });
    const taskSets = createTaskSets({ clock, random, tags, ownedTasks: owned, deployments, launcher, events });
    const targets = createTargets({ events, loadBalancers: deps.loadBalancers, runtimeKind: deps.runtimeKind });
    const reconcile = createReconciler({
      clock,
      logger,
      drainingMs: config.drainingMs,
      ownedTasks: owned,
      view,
      health,
      breaker: createCircuitBreaker({ config, logger, events, tasks: deps.tasks, health, deployments }),
      rolling: createRollingDeployments({ health, launcher, events }),
      taskSets,
      targets,
      events,
    });
    const loop = createReconcileLoop({
      clock,
      logger,
      intervalMs: config.reconcileIntervalMs,
      load: (scope, arn) => lookup.region(scope).services.get(arn),
      reconcile,
    });

    this.lookup = lookup;
    this.health = health;
    this.loop = loop;
    this.services = createServiceApi({
      clock,
      logger,
      quotas: ctx.quotas,
      clusters,
      taskDefinitions,
      tags,
      lookup,
      deployments,
      taskSets,
      targets,
      loop,
      view,
    });
    this.deployments = createDeploymentApi({ clock, taskDefinitions, lookup, ownedTasks: owned, deployments, loop });
    this.taskSets = createTaskSetApi({ clock, clusters, taskDefinitions, tags, lookup, ownedTasks: owned, taskSets, targets, loop });
    this.unsubscribe = ctx.bus.subscribe("task.changed", (p) => loop.onTaskChanged(p));
  }

  get config(): ServicesConfig {
    return this.deps.config;
  }

  // ---- Services -----------------------------------------------------------------------------

  createService(scope: Scope, input: CreateServiceRequest): Service {
    return this.services.createService(scope, input);
  }

  updateService(scope: Scope, input: UpdateServiceRequest): Service {
    return this.services.updateService(scope, input);
  }

  deleteService(scope: Scope, clusterRef: string | undefined, serviceRef: string, force: boolean): Service {
    return this.services.deleteService(scope, clusterRef, serviceRef, force);
  }

  describeServices(...args: Parameters<ServiceApi["describeServices"]>) {
    return this.services.describeServices(...args);
  }

  listServices(...args: Parameters<ServiceApi["listServices"]>) {
    return this.services.listServices(...args);
  }

  /** Services whose Service Connect configuration uses the namespace (name or ARN). */
  listServicesByNamespace(...args: Parameters<ServiceApi["listServicesByNamespace"]>) {
    return this.services.listServicesByNamespace(...args);
  }

  // ---- Service deployments and revisions ----------------------------------------------------

  listServiceDeployments(...args: Parameters<DeploymentApi["listServiceDeployments"]>) {
    return this.deployments.listServiceDeployments(...args);
  }

  describeServiceDeployments(...args: Parameters<DeploymentApi["describeServiceDeployments"]>) {
    return this.deployments.describeServiceDeployments(...args);
  }

  describeServiceRevisions(...args: Parameters<DeploymentApi["describeServiceRevisions"]>) {
    return this.deployments.describeServiceRevisions(...args);
  }

  stopServiceDeployment(...args: Parameters<DeploymentApi["stopServiceDeployment"]>) {
    return this.deployments.stopServiceDeployment(...args);
  }

  // ---- Task sets (CODE_DEPLOY and EXTERNAL) -------------------------------------------------

  createTaskSet(...args: Parameters<TaskSetApi["createTaskSet"]>) {
    return this.taskSets.createTaskSet(...args);
  }

  updateTaskSet(...args: Parameters<TaskSetApi["updateTaskSet"]>) {
    return this.taskSets.updateTaskSet(...args);
  }

  deleteTaskSet(...args: Parameters<TaskSetApi["deleteTaskSet"]>) {
    return this.taskSets.deleteTaskSet(...args);
  }

  describeTaskSets(...args: Parameters<TaskSetApi["describeTaskSets"]>) {
    return this.taskSets.describeTaskSets(...args);
  }

  updateServicePrimaryTaskSet(...args: Parameters<TaskSetApi["updateServicePrimaryTaskSet"]>) {
    return this.taskSets.updateServicePrimaryTaskSet(...args);
  }

  // ---- Lifetime -----------------------------------------------------------------------------

  /** Cancels every timer (simulator reset and close). State lives in the store and goes with it. */
  dispose(): void {
    this.loop.dispose();
    this.health.forget();
  }

  close(): void {
    this.dispose();
    this.unsubscribe();
  }

  /** Runs one reconcile pass of every live service now (tests and admin use). */
  reconcileAll(): void {
    this.loop.reconcileAll();
  }

  // ---- Lookups ------------------------------------------------------------------------------

  /** The service by name or ARN in the cluster, whatever its status. */
  find(scope: Scope, clusterName: string, ref: string): ServiceRecord | undefined {
    return this.lookup.find(scope, clusterName, ref);
  }

  /** The service as DescribeServices shows it, with live counts. */
  view(record: ServiceRecord, includeTags: boolean): Service {
    const tags = includeTags ? this.deps.tags.get(record.service.serviceArn!, internalOf(record).scope) : undefined;
    return serviceView(record, ownedTasks(this.deps.ctx.store, record), tags);
  }
}

type ServiceApi = ReturnType<typeof createServiceApi>;
type DeploymentApi = ReturnType<typeof createDeploymentApi>;
type TaskSetApi = ReturnType<typeof createTaskSetApi>;
