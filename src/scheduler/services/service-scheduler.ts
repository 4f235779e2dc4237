import type {
  CreateServiceRequest,
  Failure,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevision,
  UpdateServiceRequest,
} from "@aws-sdk/client-ecs";
import type { SimContext } from "../../context.js";
import type { ClusterService } from "../../domain/clusters.js";
import type { Scope } from "../../domain/scope.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import type { LocalLoadBalancers } from "../../loadbalancer/front-door.js";
import type { ServiceRecord } from "../../state/store.js";
import type { TaskScheduler } from "../tasks.js";
import type { InstanceChange } from "../../domain/container-instances/types.js";
import type { ContainerInstances } from "../instances/index.js";
import { createInstancePlacement, isDaemon } from "./instance-placement.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import type { ServicesConfig } from "./config.js";
import { createDeploymentApi, type DeploymentApi, type ListServiceDeploymentsInput } from "./deployment-api.js";
import { createDeployments } from "./deployments.js";
import { createHealthJudge, type HealthJudge } from "./health.js";
import { internalOf } from "./internal.js";
import { createLauncher } from "./launcher.js";
import { createServiceLookup, type ServiceLookup } from "./lookup.js";
import { createReconcileLoop, type ReconcileLoop } from "./loop.js";
import { createReconciler } from "./reconcile.js";
import { createRollingDeployments } from "./rolling.js";
import { createServiceApi, type ListServicesByNamespaceInput, type ListServicesInput, type ServiceApi } from "./service-api.js";
import { createServiceEvents } from "./service-events.js";
import { ownedTasks } from "./service-tasks.js";
import {
  createTaskSetApi,
  type CreateTaskSetInput,
  type DeleteTaskSetInput,
  type DescribeTaskSetsInput,
  type TaskSetApi,
  type UpdateServicePrimaryTaskSetInput,
  type UpdateTaskSetInput,
} from "./task-set-api.js";
import { createTaskSets } from "./task-sets.js";
import { createTargets } from "./targets.js";
import { serviceView } from "./views.js";

export interface ServiceSchedulerDeps {
  ctx: SimContext;
  clusters: ClusterService;
  taskDefinitions: TaskDefinitionRegistry;
  tags: TagService;
  tasks: TaskScheduler;
  /** Container instances (EC2 launch type): placement snapshots, and changes that wake services up. */
  instances: ContainerInstances;
  config: ServicesConfig;
  /** The local front doors; absent when disabled. Target registration is tracked either way. */
  loadBalancers?: LocalLoadBalancers;
  runtimeKind: string;
}

/**
 * The service scheduler: the service API and one reconcile loop per service that
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
  private readonly lookup: ServiceLookup;
  private readonly health: HealthJudge;
  private readonly loop: ReconcileLoop;
  private readonly serviceApi: ServiceApi;
  private readonly deploymentApi: DeploymentApi;
  private readonly taskSetApi: TaskSetApi;
  private readonly present: (record: ServiceRecord, includeTags?: boolean) => Service;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeInstances: () => void;
  private readonly unsubscribeCapacity: () => void;

  constructor(private readonly deps: ServiceSchedulerDeps) {
    const { ctx, config, taskDefinitions, tags, clusters } = deps;
    const { clock, logger, store } = ctx;
    // One stream for every id and event of the scheduler, so a replay draws them in the same order.
    const random = ctx.random.fork("services");
    const owned = (record: ServiceRecord) => ownedTasks(store, record);
    const view = (record: ServiceRecord, includeTags = false): Service =>
      serviceView(record, owned(record), includeTags ? tags.get(record.service.serviceArn!, internalOf(record).scope) : undefined);

    const events = createServiceEvents({ clock, logger, bus: ctx.bus, random });
    const lookup = createServiceLookup({ store, clusters });
    const health = createHealthJudge({ taskDefinitions, healthyAfterMs: config.healthyAfterMs });
    const deployments = createDeployments({ clock, random, logger, events });
    const placement = createInstancePlacement({ store, instances: deps.instances, taskDefinitions, random });
    const launcher = createLauncher({ store, taskDefinitions, tags, tasks: deps.tasks, config, events, logger, health, placement });
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
      rolling: createRollingDeployments({ health, launcher, events, placement }),
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
      isQuiet: (record) => record.service.status === "ACTIVE" && internalOf(record).steady === true,
    });

    this.lookup = lookup;
    this.health = health;
    this.loop = loop;
    this.present = view;
    this.serviceApi = createServiceApi({
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
    this.deploymentApi = createDeploymentApi({ clock, taskDefinitions, lookup, ownedTasks: owned, deployments, loop });
    this.taskSetApi = createTaskSetApi({ clock, clusters, taskDefinitions, tags, lookup, ownedTasks: owned, taskSets, targets, loop });
    this.unsubscribe = ctx.bus.subscribe("task.changed", (p) => loop.onTaskChanged(p));

    // Any change of a container instance may concern every service of its cluster: new capacity
    // to place on (daemons first, so they are on a new instance before replicas fill it), an
    // instance draining or gone whose tasks need replacing.
    const wake = (scope: Scope, clusterName: string, onlyWaiting: boolean) => {
      const now = clock.now();
      const services = [...lookup.region(scope).servicesInCluster(clusterName)].filter(
        (r) => r.service.status !== "INACTIVE" && loop.isLive(r.service.serviceArn!),
      );
      for (const r of services) {
        const waiting = launcher.capacityChanged(r, now);
        if (onlyWaiting && !waiting) continue;
        loop.kick(r.service.serviceArn!, isDaemon(r));
      }
    };
    this.unsubscribeInstances = deps.instances.registry.onChange((c: InstanceChange) => {
      if (c.kind !== "resources") wake(c.scope, c.clusterName, false);
    });
    // A task leaving an instance frees what it held there: services waiting for room try again.
    this.unsubscribeCapacity = ctx.bus.subscribe("task.changed", (p) => {
      const t = p.task;
      if (t.lastStatus !== "STOPPED" || p.previousStatus === "STOPPED" || !t.containerInstanceArn || !t.clusterArn) return;
      wake({ account: p.account, region: p.region }, t.clusterArn.slice(t.clusterArn.indexOf(":cluster/") + 9), true);
    });
  }

  get config(): ServicesConfig {
    return this.deps.config;
  }

  // ---- Services -----------------------------------------------------------------------------

  createService(scope: Scope, input: CreateServiceRequest): Service {
    return this.serviceApi.createService(scope, input);
  }

  updateService(scope: Scope, input: UpdateServiceRequest): Service {
    return this.serviceApi.updateService(scope, input);
  }

  deleteService(scope: Scope, clusterRef: string | undefined, serviceRef: string, force: boolean): Service {
    return this.serviceApi.deleteService(scope, clusterRef, serviceRef, force);
  }

  describeServices(scope: Scope, clusterRef: string | undefined, refs: string[], includeTags: boolean) {
    return this.serviceApi.describeServices(scope, clusterRef, refs, includeTags);
  }

  listServices(scope: Scope, input: ListServicesInput) {
    return this.serviceApi.listServices(scope, input);
  }

  /** Services whose Service Connect configuration uses the namespace (name or ARN). */
  listServicesByNamespace(scope: Scope, input: ListServicesByNamespaceInput) {
    return this.serviceApi.listServicesByNamespace(scope, input);
  }

  // ---- Service deployments and revisions ----------------------------------------------------

  listServiceDeployments(scope: Scope, input: ListServiceDeploymentsInput): { serviceDeployments: ServiceDeploymentBrief[]; nextToken?: string } {
    return this.deploymentApi.listServiceDeployments(scope, input);
  }

  describeServiceDeployments(scope: Scope, arns: string[]): { serviceDeployments: ServiceDeployment[]; failures: Failure[] } {
    return this.deploymentApi.describeServiceDeployments(scope, arns);
  }

  describeServiceRevisions(scope: Scope, arns: string[]): { serviceRevisions: ServiceRevision[]; failures: Failure[] } {
    return this.deploymentApi.describeServiceRevisions(scope, arns);
  }

  stopServiceDeployment(scope: Scope, arn: string, stopType: "ABORT" | "ROLLBACK" = "ROLLBACK"): { serviceDeploymentArn: string } {
    return this.deploymentApi.stopServiceDeployment(scope, arn, stopType);
  }

  // ---- Task sets (CODE_DEPLOY and EXTERNAL) -------------------------------------------------

  createTaskSet(scope: Scope, input: CreateTaskSetInput) {
    return this.taskSetApi.createTaskSet(scope, input);
  }

  updateTaskSet(scope: Scope, input: UpdateTaskSetInput) {
    return this.taskSetApi.updateTaskSet(scope, input);
  }

  deleteTaskSet(scope: Scope, input: DeleteTaskSetInput) {
    return this.taskSetApi.deleteTaskSet(scope, input);
  }

  describeTaskSets(scope: Scope, input: DescribeTaskSetsInput) {
    return this.taskSetApi.describeTaskSets(scope, input);
  }

  updateServicePrimaryTaskSet(scope: Scope, input: UpdateServicePrimaryTaskSetInput) {
    return this.taskSetApi.updateServicePrimaryTaskSet(scope, input);
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
    this.unsubscribeInstances();
    this.unsubscribeCapacity();
  }

  /** After a restart with persisted state: every service that is not INACTIVE is reconciled again. */
  resume(): void {
    for (const region of this.deps.ctx.store.allRegions()) {
      for (const record of region.services.values()) {
        if (record.service.status !== "INACTIVE") this.loop.track(record.service.serviceArn!, internalOf(record).scope);
      }
    }
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
    return this.present(record, includeTags);
  }
}
