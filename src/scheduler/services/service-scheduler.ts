import type {
  CapacityProviderStrategyItem,
  Cluster,
  CreateServiceRequest,
  DeploymentConfiguration,
  Failure,
  LoadBalancer,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevision,
  Tag,
  Task,
  TaskDefinition,
  UpdateServiceRequest,
} from "@aws-sdk/client-ecs";
import type { SimContext } from "../../context.js";
import type { TimerHandle } from "../../core/clock.js";
import type { DomainEvents } from "../../core/events.js";
import type { SeededRandom } from "../../core/random.js";
import { stableStringify } from "../../core/stable-json.js";
import type { ClusterService } from "../../domain/clusters.js";
import { paginate } from "../../domain/pagination.js";
import type { Scope } from "../../domain/scope.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import {
  ClientException,
  ConflictException,
  InvalidParameterException,
  LimitExceededException,
  ServiceDeploymentNotFoundException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  TaskSetNotFoundException,
  ThrottlingException,
} from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import { LocalLoadBalancers, type FrontDoorTarget } from "../../loadbalancer/front-door.js";
import { describeEach } from "../../domain/describe-each.js";
import { Arn, nameFromArnOrName, parseArn } from "../../state/arn.js";
import type { RegionState, ServiceRecord, TaskRecord } from "../../state/store.js";
import { checkCompatibility, resolveLaunchTarget, type LaunchTarget } from "../launch-target.js";
import { placeTasks } from "../placement.js";
import type { TaskScheduler } from "../tasks.js";
import type { ServicesConfig } from "./config.js";
import { deploymentId, serviceDeploymentId, serviceRevisionId, taskIdOfArn } from "./naming.js";
import type {
  DeploymentState,
  RevisionConfig,
  RevisionState,
  ServiceDeploymentState,
  ServiceInternal,
  TaskSetState,
} from "./types.js";
import {
  countTasks,
  deploymentView,
  internalOf,
  serviceDeploymentBrief,
  serviceDeploymentView,
  serviceRevisionView,
  serviceView,
  taskSetView,
} from "./views.js";

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Task states that hold a place under maximumPercent (everything until the containers are gone). */
const OCCUPYING = new Set(["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING"]);
const MAX_EVENTS = 100;
const MAX_TARGET_GROUPS = 5;
const MAX_TASK_SETS = 5;
/** Stop codes that are not the task's own failure: they never count toward the circuit breaker. */
const EXTERNAL_STOPS = new Set(["UserInitiated", "SpotInterruption", "TerminationNotice", "ServiceSchedulerInitiated"]);

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

/** The parts of a request that make up a revision (CreateService, UpdateService, CreateTaskSet). */
interface ConfigSource {
  taskDefinition?: string;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  networkConfiguration?: RevisionConfig["networkConfiguration"];
  loadBalancers?: LoadBalancer[];
  serviceRegistries?: RevisionConfig["serviceRegistries"];
  serviceConnectConfiguration?: RevisionConfig["serviceConnectConfiguration"];
}

/**
 * The service scheduler (reference §10): the service API and one reconcile loop per service that
 * keeps the PRIMARY deployment at desiredCount through TaskScheduler.launch (placement, capacity,
 * quotas, runtime: the same path as RunTask), rolls deployments within minimumHealthyPercent and
 * maximumPercent, runs the deployment circuit breaker, logs the service events and publishes the
 * EventBridge service and deployment events. Task sets (CODE_DEPLOY, EXTERNAL) are reconciled by
 * the same loop. Everything runs on the injected clock: a reconcile pass happens right after
 * anything changes (a task transition, an API call) and every `reconcileIntervalMs`.
 */
export class ServiceScheduler {
  private readonly ctx: SimContext;
  private readonly random: SeededRandom;
  private readonly live = new Map<string, Scope>();
  private readonly dirty = new Set<string>();
  private kickTimer?: TimerHandle;
  private tickTimer?: TimerHandle;
  private readonly unsubscribe: () => void;
  private readonly healthCheckCache = new Map<string, boolean>();

  constructor(private readonly deps: ServiceSchedulerDeps) {
    this.ctx = deps.ctx;
    this.random = deps.ctx.random.fork("services");
    this.unsubscribe = this.ctx.bus.subscribe("task.changed", (p) => this.onTaskChanged(p));
  }

  get config(): ServicesConfig {
    return this.deps.config;
  }

  // ---- Service API --------------------------------------------------------------------------

  createService(scope: Scope, input: CreateServiceRequest): Service {
    const clusterRecord = this.deps.clusters.resolve(scope, input.cluster);
    const cluster = clusterRecord.cluster;
    const name = input.serviceName ?? "";
    if (!SERVICE_NAME.test(name)) throw new InvalidParameterException(Messages.serviceNameInvalid);
    const state = this.state(scope);
    const arn = Arn.service(scope, cluster.clusterName!, name);
    const { clientToken, ...rest } = input;
    const fingerprint = stableStringify({ ...rest, cluster: cluster.clusterName });
    const existing = state.services.get(arn);
    if (existing && existing.service.status !== "INACTIVE") {
      const prior = internalOf(existing);
      if (existing.service.status === "ACTIVE" && prior.fingerprint === fingerprint) return this.view(existing, false);
      throw new InvalidParameterException(Messages.serviceNotIdempotent);
    }
    const limits = this.ctx.quotas.limits(scope);
    const inCluster = [...state.services.values()].filter(
      (s) => s.clusterName === cluster.clusterName && s.service.status !== "INACTIVE",
    ).length;
    if (inCluster >= limits.servicesPerCluster) {
      throw new LimitExceededException(`The maximum number of services (${limits.servicesPerCluster}) for this cluster has been reached.`);
    }
    const desiredCount = input.desiredCount ?? 0;
    if (desiredCount > limits.tasksPerService) throw new InvalidParameterException(Messages.desiredCountLimit);
    const controller = input.deploymentController?.type ?? "ECS";
    if ((input.schedulingStrategy ?? "REPLICA") === "DAEMON") throw new InvalidParameterException(Messages.fargateDaemon);
    const deploymentConfiguration = normalizeDeploymentConfiguration(input.deploymentConfiguration, controller);

    // EXTERNAL services may be created without a task definition: task sets bring their own.
    const config =
      controller === "EXTERNAL" && !input.taskDefinition
        ? undefined
        : this.buildConfig(scope, cluster, input, "create");
    if (!config) resolveLaunchTarget(cluster, input.launchType, input.capacityProviderStrategy);
    if (input.tags?.length) this.deps.tags.validate(scope, input.tags);

    const now = this.ctx.clock.now();
    const targetFields = config
      ? config.capacityProviderStrategy
        ? { capacityProviderStrategy: config.capacityProviderStrategy }
        : { launchType: config.launchType as Service["launchType"] }
      : input.capacityProviderStrategy?.length
        ? { capacityProviderStrategy: input.capacityProviderStrategy }
        : { launchType: (input.launchType ?? "FARGATE") as Service["launchType"] };
    const service: Service = {
      serviceArn: arn,
      serviceName: name,
      clusterArn: cluster.clusterArn,
      loadBalancers: config?.loadBalancers ?? [],
      serviceRegistries: config?.serviceRegistries ?? [],
      status: "ACTIVE",
      desiredCount,
      ...targetFields,
      platformVersion: input.platformVersion ?? "LATEST",
      platformFamily: "Linux",
      ...(config ? { taskDefinition: config.taskDefinitionArn } : {}),
      deploymentConfiguration,
      ...(input.role ? { roleArn: input.role } : {}),
      createdAt: new Date(now),
      placementConstraints: input.placementConstraints ?? [],
      placementStrategy: input.placementStrategy ?? [],
      ...(config?.networkConfiguration
        ? { networkConfiguration: config.networkConfiguration }
        : input.networkConfiguration
          ? { networkConfiguration: normalizeNetwork(input.networkConfiguration) }
          : {}),
      healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
      schedulingStrategy: "REPLICA",
      deploymentController: { type: controller },
      createdBy: `arn:aws:iam::${scope.account}:root`,
      enableECSManagedTags: input.enableECSManagedTags ?? false,
      propagateTags: input.propagateTags ?? "NONE",
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      ...(input.availabilityZoneRebalancing ? { availabilityZoneRebalancing: input.availabilityZoneRebalancing } : {}),
    };
    const internal: ServiceInternal = {
      scope,
      controller,
      fingerprint,
      ...(clientToken ? { clientToken } : {}),
      deployments: [],
      retired: [],
      serviceDeployments: [],
      revisions: [],
      taskSets: [],
      events: [],
      steady: false,
      consecutiveFailures: 0,
      startImpaired: false,
      nextLaunchAt: 0,
      placementDelayMs: 0,
      accounted: new Set(),
      everHealthy: new Set(),
      schedulerStopped: new Set(),
      registered: new Map(),
    };
    const record: ServiceRecord = {
      service,
      clusterName: cluster.clusterName!,
      taskSets: [],
      internal: internal as unknown as Record<string, unknown>,
    };
    state.services.set(arn, record);
    this.deps.tags.replace(arn, input.tags ?? []);
    if (controller === "ECS") this.startDeployment(record, config!);
    else if (controller === "CODE_DEPLOY") this.addTaskSet(record, config!, { value: 100, unit: "PERCENT" }, "PRIMARY", {});
    this.openDoors(record);
    this.ctx.logger.info(`service ${name} created`, { cluster: cluster.clusterName, desiredCount, controller });
    this.track(arn, scope);
    return this.view(record, false);
  }

  updateService(scope: Scope, input: UpdateServiceRequest): Service {
    const record = this.require(scope, input.cluster, input.service!);
    if (record.service.status !== "ACTIVE") throw new ServiceNotActiveException(Messages.serviceNotActive);
    const internal = internalOf(record);
    const cluster = this.deps.clusters.resolve(scope, input.cluster).cluster;
    const s = record.service;
    const limits = this.ctx.quotas.limits(scope);
    if (input.desiredCount !== undefined && input.desiredCount > limits.tasksPerService) {
      throw new InvalidParameterException(Messages.desiredCountLimit);
    }
    if (internal.controller !== "ECS") this.checkTaskSetControllerUpdate(scope, record, input);
    const deploymentConfiguration = input.deploymentConfiguration
      ? normalizeDeploymentConfiguration({ ...s.deploymentConfiguration, ...input.deploymentConfiguration }, internal.controller)
      : undefined;

    let newConfig: RevisionConfig | undefined;
    const primary = internal.deployments.find((d) => d.status === "PRIMARY");
    if (internal.controller === "ECS" && primary) {
      const current = primary.config;
      const configTouched =
        input.taskDefinition !== undefined ||
        input.capacityProviderStrategy?.length ||
        input.platformVersion !== undefined ||
        input.networkConfiguration !== undefined ||
        input.loadBalancers !== undefined ||
        input.serviceRegistries !== undefined ||
        input.serviceConnectConfiguration !== undefined ||
        input.forceNewDeployment;
      if (configTouched) {
        const candidate = this.buildConfig(
          scope,
          cluster,
          {
            taskDefinition: input.taskDefinition ?? current.taskDefinitionArn,
            ...(input.capacityProviderStrategy?.length
              ? { capacityProviderStrategy: input.capacityProviderStrategy }
              : current.capacityProviderStrategy
                ? { capacityProviderStrategy: current.capacityProviderStrategy }
                : { launchType: current.launchType }),
            platformVersion: input.platformVersion ?? current.platformVersion,
            networkConfiguration: input.networkConfiguration ?? current.networkConfiguration,
            loadBalancers: input.loadBalancers ?? current.loadBalancers,
            serviceRegistries: input.serviceRegistries ?? current.serviceRegistries,
            serviceConnectConfiguration: input.serviceConnectConfiguration ?? current.serviceConnectConfiguration,
          },
          "update",
          current.taskDefinitionArn,
        );
        if (input.forceNewDeployment || configKey(candidate) !== configKey(current)) newConfig = candidate;
      }
    }

    // Everything validated: apply.
    const now = this.ctx.clock.now();
    if (input.desiredCount !== undefined && input.desiredCount !== s.desiredCount) {
      s.desiredCount = input.desiredCount;
      internal.steady = false;
      if (primary && !newConfig) primary.updatedAt = now;
    }
    if (deploymentConfiguration) s.deploymentConfiguration = deploymentConfiguration;
    if (input.healthCheckGracePeriodSeconds !== undefined) s.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
    if (input.placementConstraints) s.placementConstraints = input.placementConstraints;
    if (input.placementStrategy) s.placementStrategy = input.placementStrategy;
    if (input.enableECSManagedTags !== undefined) s.enableECSManagedTags = input.enableECSManagedTags;
    if (input.propagateTags !== undefined) s.propagateTags = input.propagateTags;
    if (input.enableExecuteCommand !== undefined) s.enableExecuteCommand = input.enableExecuteCommand;
    if (input.availabilityZoneRebalancing !== undefined) s.availabilityZoneRebalancing = input.availabilityZoneRebalancing;
    if (newConfig) {
      s.platformVersion = newConfig.platformVersion;
      if (newConfig.networkConfiguration) s.networkConfiguration = newConfig.networkConfiguration;
      if (newConfig.capacityProviderStrategy) {
        s.capacityProviderStrategy = newConfig.capacityProviderStrategy;
        delete s.launchType;
      }
      s.loadBalancers = newConfig.loadBalancers;
      s.serviceRegistries = newConfig.serviceRegistries;
      this.startDeployment(record, newConfig);
      this.openDoors(record);
    }
    this.kick(s.serviceArn!);
    return this.view(record, false);
  }

  deleteService(scope: Scope, clusterRef: string | undefined, serviceRef: string, force: boolean): Service {
    const record = this.require(scope, clusterRef, serviceRef);
    if (record.service.status !== "ACTIVE") throw new ServiceNotActiveException(Messages.serviceNotActive);
    if (!force && (record.service.desiredCount ?? 0) > 0) {
      throw new InvalidParameterException(Messages.serviceScaledAboveZero);
    }
    const internal = internalOf(record);
    record.service.desiredCount = 0;
    record.service.status = "DRAINING";
    internal.steady = false;
    const now = this.ctx.clock.now();
    for (const ts of internal.taskSets) {
      ts.status = "DRAINING";
      ts.updatedAt = now;
    }
    this.refreshTaskSetViews(record);
    this.ctx.logger.info(`service ${record.service.serviceName} deleted (draining)`, { cluster: record.clusterName });
    this.track(record.service.serviceArn!, scope);
    return this.view(record, false);
  }

  describeServices(scope: Scope, clusterRef: string | undefined, refs: string[], includeTags: boolean) {
    if (refs.length === 0) throw new InvalidParameterException(Messages.servicesEmpty);
    if (refs.length > 10) throw new InvalidParameterException(Messages.tooManyServices);
    const clusterName = this.deps.clusters.resolve(scope, clusterRef).cluster.clusterName!;
    const { found: services, failures } = describeEach(
      refs,
      (ref) => this.find(scope, clusterName, ref),
      (name) => Arn.service(scope, clusterName, name),
      (record) => this.view(record, includeTags),
    );
    return { services, failures };
  }

  listServices(
    scope: Scope,
    input: { cluster?: string; launchType?: string; schedulingStrategy?: string; maxResults?: number; nextToken?: string },
  ) {
    const cluster = this.deps.clusters.resolve(scope, input.cluster).cluster;
    const arns = [...this.state(scope).services.values()]
      .filter((r) => r.clusterName === cluster.clusterName && r.service.status === "ACTIVE")
      .filter((r) => !input.launchType || r.service.launchType === input.launchType)
      .filter((r) => !input.schedulingStrategy || r.service.schedulingStrategy === input.schedulingStrategy)
      .sort((a, b) => a.service.createdAt!.getTime() - b.service.createdAt!.getTime() || cmp(a.service.serviceArn!, b.service.serviceArn!))
      .map((r) => r.service.serviceArn!);
    const { page, nextToken } = paginate(arns, { maxResults: input.maxResults, nextToken: input.nextToken, kind: "services", defaultMax: 10 });
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  /** Services whose Service Connect configuration uses the namespace (name or ARN). */
  listServicesByNamespace(scope: Scope, input: { namespace: string; maxResults?: number; nextToken?: string }) {
    const wanted = nameFromArnOrName(input.namespace);
    const state = this.state(scope);
    const arns = [...state.services.values()]
      .filter((r) => r.service.status === "ACTIVE")
      .filter((r) => {
        const primary = internalOf(r).deployments.find((d) => d.status === "PRIMARY");
        const scc = primary?.config.serviceConnectConfiguration;
        if (!scc?.enabled) return false;
        const ns = scc.namespace ?? state.clusters.get(r.clusterName)?.cluster.serviceConnectDefaults?.namespace;
        return ns !== undefined && (ns === input.namespace || nameFromArnOrName(ns) === wanted);
      })
      .map((r) => r.service.serviceArn!)
      .sort();
    const { page, nextToken } = paginate(arns, { maxResults: input.maxResults, nextToken: input.nextToken, kind: "servicesByNamespace", defaultMax: 10 });
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  // ---- Service deployments and revisions ------------------------------------------------------

  listServiceDeployments(
    scope: Scope,
    input: { service: string; cluster?: string; status?: string[]; createdAt?: { before?: number | string; after?: number | string }; maxResults?: number; nextToken?: string },
  ): { serviceDeployments: ServiceDeploymentBrief[]; nextToken?: string } {
    const record = this.require(scope, input.cluster, input.service);
    const internal = internalOf(record);
    const before = toMs(input.createdAt?.before);
    const after = toMs(input.createdAt?.after);
    const list = [...internal.serviceDeployments]
      .reverse()
      .filter((sd) => !input.status?.length || input.status.includes(sd.status))
      .filter((sd) => (before === undefined || sd.createdAt < before) && (after === undefined || sd.createdAt > after))
      .map((sd) => serviceDeploymentBrief(record, sd));
    const { page, nextToken } = paginate(list, { maxResults: input.maxResults, nextToken: input.nextToken, kind: "serviceDeployments", defaultMax: 20, maxAllowed: 100 });
    return { serviceDeployments: page, ...(nextToken ? { nextToken } : {}) };
  }

  describeServiceDeployments(scope: Scope, arns: string[]): { serviceDeployments: ServiceDeployment[]; failures: Failure[] } {
    const serviceDeployments: ServiceDeployment[] = [];
    const failures: Failure[] = [];
    for (const arn of arns) {
      const found = this.findServiceDeployment(scope, arn);
      if (!found) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      serviceDeployments.push(serviceDeploymentView(found.record, found.sd, (rev) => this.revisionCounts(found.record, rev)));
    }
    return { serviceDeployments, failures };
  }

  describeServiceRevisions(scope: Scope, arns: string[]): { serviceRevisions: ServiceRevision[]; failures: Failure[] } {
    const serviceRevisions: ServiceRevision[] = [];
    const failures: Failure[] = [];
    for (const arn of arns) {
      const record = this.serviceOfChildArn(scope, arn, "service-revision");
      const revision = record ? internalOf(record).revisions.find((r) => r.arn === arn) : undefined;
      if (!record || !revision) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      const def = this.deps.taskDefinitions.find(scope, revision.config.taskDefinitionArn)?.record.definition;
      const images = (def?.containerDefinitions ?? []).map((c) => ({ containerName: c.name!, image: c.image! }));
      serviceRevisions.push(serviceRevisionView(record, revision.arn, revision.config, revision.createdAt, images));
    }
    return { serviceRevisions, failures };
  }

  stopServiceDeployment(scope: Scope, arn: string, stopType: "ABORT" | "ROLLBACK" = "ROLLBACK"): { serviceDeploymentArn: string } {
    const found = this.findServiceDeployment(scope, arn);
    if (!found) throw new ServiceDeploymentNotFoundException(Messages.serviceDeploymentNotFound);
    const { record, sd } = found;
    const internal = internalOf(record);
    if (sd.status !== "IN_PROGRESS" || record.service.status !== "ACTIVE") {
      throw new ConflictException(Messages.serviceDeploymentNotInProgress, [arn]);
    }
    const target = internal.deployments.find((d) => d.serviceDeploymentArn === sd.arn && d.status === "PRIMARY");
    const now = this.ctx.clock.now();
    if (target) {
      target.rolloutState = "FAILED";
      target.rolloutStateReason = Messages.deploymentStoppedByUser(target.id);
      target.updatedAt = now;
    }
    const last = internal.lastCompleted;
    if (stopType === "ROLLBACK" && target && last && last.revisionArn !== target.revisionArn) {
      sd.status = "ROLLBACK_IN_PROGRESS";
      sd.statusReason = Messages.deploymentStoppedByUser(target.id);
      sd.rollback = { reason: sd.statusReason, startedAt: now, serviceRevisionArn: last.revisionArn };
      sd.updatedAt = now;
      this.startDeployment(record, last.config, { rollbackOf: target, revisionArn: last.revisionArn, reason: Messages.circuitBreakerRollingBack(last.deploymentId) });
    } else {
      sd.status = "STOPPED";
      sd.statusReason = target ? Messages.deploymentStoppedByUser(target.id) : undefined;
      sd.stoppedAt = now;
      sd.updatedAt = now;
    }
    this.kick(record.service.serviceArn!);
    return { serviceDeploymentArn: arn };
  }

  // ---- Task sets (CODE_DEPLOY and EXTERNAL) --------------------------------------------------

  createTaskSet(
    scope: Scope,
    input: ConfigSource & { service: string; cluster: string; externalId?: string; scale?: { value?: number; unit?: string }; clientToken?: string; tags?: Tag[] },
  ) {
    const record = this.require(scope, input.cluster, input.service);
    if (record.service.status !== "ACTIVE") throw new ServiceNotActiveException(Messages.serviceNotActive);
    const internal = internalOf(record);
    if (internal.controller === "ECS") throw new InvalidParameterException(Messages.taskSetsNeedController);
    if (input.clientToken) {
      const prior = internal.taskSets.find((t) => t.clientToken === input.clientToken);
      if (prior) return { taskSet: this.taskSetViewOf(record, prior, false) };
    }
    if (internal.taskSets.length >= MAX_TASK_SETS) throw new InvalidParameterException(Messages.taskSetLimit);
    const cluster = this.deps.clusters.resolve(scope, input.cluster).cluster;
    const config = this.buildConfig(scope, cluster, input, "create");
    if (input.tags?.length) this.deps.tags.validate(scope, input.tags);
    const ts = this.addTaskSet(
      record,
      config,
      { value: input.scale?.value ?? 100, unit: "PERCENT" },
      internal.taskSets.length === 0 ? "PRIMARY" : "ACTIVE",
      {
        ...(input.externalId ? { externalId: input.externalId } : {}),
        ...(input.clientToken ? { clientToken: input.clientToken } : {}),
        tags: input.tags ?? [],
      },
    );
    this.kick(record.service.serviceArn!);
    return { taskSet: this.taskSetViewOf(record, ts, false) };
  }

  updateTaskSet(scope: Scope, input: { cluster: string; service: string; taskSet: string; scale: { value?: number; unit?: string } }) {
    const { record, ts } = this.requireTaskSet(scope, input.cluster, input.service, input.taskSet);
    ts.scale = { value: input.scale.value ?? ts.scale.value, unit: "PERCENT" };
    ts.updatedAt = this.ctx.clock.now();
    internalOf(record).steady = false;
    this.kick(record.service.serviceArn!);
    return { taskSet: this.taskSetViewOf(record, ts, false) };
  }

  deleteTaskSet(scope: Scope, input: { cluster: string; service: string; taskSet: string; force?: boolean }) {
    const { record, ts } = this.requireTaskSet(scope, input.cluster, input.service, input.taskSet);
    const live = this.ownedTasks(record).filter((t) => t.task.startedBy === ts.id && t.task.lastStatus !== "STOPPED");
    if (!input.force && (ts.scale.value > 0 && this.taskSetDesired(record, ts) > 0 || live.length > 0)) {
      throw new InvalidParameterException(Messages.taskSetScaledAboveZero);
    }
    ts.status = "DRAINING";
    ts.updatedAt = this.ctx.clock.now();
    this.refreshTaskSetViews(record);
    this.kick(record.service.serviceArn!);
    return { taskSet: this.taskSetViewOf(record, ts, false) };
  }

  describeTaskSets(scope: Scope, input: { cluster: string; service: string; taskSets?: string[]; include?: string[] }) {
    const record = this.require(scope, input.cluster, input.service);
    const internal = internalOf(record);
    const withTags = input.include?.includes("TAGS") ?? false;
    if (!input.taskSets?.length) {
      return { taskSets: internal.taskSets.map((ts) => this.taskSetViewOf(record, ts, withTags)), failures: [] };
    }
    const taskSets = [];
    const failures: Failure[] = [];
    for (const ref of input.taskSets) {
      const ts = internal.taskSets.find((t) => t.arn === ref || t.id === ref);
      if (ts) taskSets.push(this.taskSetViewOf(record, ts, withTags));
      else failures.push({ arn: ref, reason: "MISSING" });
    }
    return { taskSets, failures };
  }

  updateServicePrimaryTaskSet(scope: Scope, input: { cluster: string; service: string; primaryTaskSet: string }) {
    const { record, ts } = this.requireTaskSet(scope, input.cluster, input.service, input.primaryTaskSet);
    if (ts.status === "DRAINING") throw new InvalidParameterException(Messages.taskSetNotFound);
    const now = this.ctx.clock.now();
    const internal = internalOf(record);
    for (const other of internal.taskSets) {
      if (other !== ts && other.status === "PRIMARY") {
        other.status = "ACTIVE";
        other.updatedAt = now;
      }
    }
    ts.status = "PRIMARY";
    ts.updatedAt = now;
    this.applyPrimaryTaskSet(record, ts);
    this.openDoors(record);
    internal.steady = false;
    this.kick(record.service.serviceArn!);
    return { taskSet: this.taskSetViewOf(record, ts, false) };
  }

  // ---- Lifetime -----------------------------------------------------------------------------

  /** Cancels every timer (simulator reset and close). State lives in the store and goes with it. */
  dispose(): void {
    this.ctx.clock.clearTimeout(this.kickTimer);
    this.ctx.clock.clearTimeout(this.tickTimer);
    this.kickTimer = undefined;
    this.tickTimer = undefined;
    this.live.clear();
    this.dirty.clear();
    this.healthCheckCache.clear();
  }

  close(): void {
    this.dispose();
    this.unsubscribe();
  }

  /** Runs one reconcile pass of every live service now (tests and admin use). */
  reconcileAll(): void {
    for (const arn of this.live.keys()) this.dirty.add(arn);
    this.flush();
  }

  // ---- The loop -----------------------------------------------------------------------------

  private track(arn: string, scope: Scope): void {
    this.live.set(arn, scope);
    this.kick(arn);
    this.ensureTick();
  }

  private kick(arn: string): void {
    this.dirty.add(arn);
    if (this.kickTimer) return;
    this.kickTimer = this.ctx.clock.setTimeout(() => {
      this.kickTimer = undefined;
      this.flush();
    }, 0);
  }

  private ensureTick(): void {
    if (this.tickTimer || this.live.size === 0) return;
    this.tickTimer = this.ctx.clock.setTimeout(() => {
      this.tickTimer = undefined;
      for (const arn of this.live.keys()) this.dirty.add(arn);
      this.flush();
      this.ensureTick();
    }, this.deps.config.reconcileIntervalMs);
  }

  private flush(): void {
    const arns = [...this.dirty];
    this.dirty.clear();
    for (const arn of arns) {
      const scope = this.live.get(arn);
      if (!scope) continue;
      const record = this.state(scope).services.get(arn);
      if (!record) {
        this.live.delete(arn);
        continue;
      }
      try {
        this.reconcile(record);
      } catch (err) {
        this.ctx.logger.error(`service ${record.service.serviceName} reconcile failed`, { error: String((err as Error)?.stack ?? err) });
      }
      if (record.service.status === "INACTIVE") this.live.delete(arn);
    }
  }

  private onTaskChanged(p: DomainEvents["task.changed"]): void {
    const group = p.task.group;
    if (!group?.startsWith("service:") || !p.task.clusterArn) return;
    const clusterName = p.task.clusterArn.slice(p.task.clusterArn.indexOf(":cluster/") + 9);
    const arn = Arn.service({ account: p.account, region: p.region }, clusterName, group.slice(8));
    if (this.live.has(arn)) this.kick(arn);
  }

  private reconcile(record: ServiceRecord): void {
    const internal = internalOf(record);
    const now = this.ctx.clock.now();
    const tasks = this.ownedTasks(record);
    this.prune(internal, tasks);
    this.accountStops(record, tasks, now);
    this.markHealth(record, tasks, now);
    this.enforceContainerHealth(record, tasks, now);

    if (internal.controller === "ECS") {
      this.checkCircuitBreaker(record, tasks, now);
      this.rollDeployments(record, tasks, now);
      this.retireDeployments(record, tasks, now);
      this.checkCompletion(record, tasks, now);
    } else {
      this.reconcileTaskSets(record, tasks, now);
    }
    this.syncTargets(record, tasks);
    this.checkSteady(record, tasks, now);
    this.checkDrained(record, tasks, now);
    this.snapshot(record);
  }

  /** Keeps the stored Service (what GET /_sim/state dumps) in step with what DescribeServices shows. */
  private snapshot(record: ServiceRecord): void {
    const v = this.view(record, false);
    const s = record.service;
    s.runningCount = v.runningCount;
    s.pendingCount = v.pendingCount;
    s.deployments = v.deployments;
    s.taskSets = v.taskSets;
    s.events = v.events;
  }

  /** Every task of the service: group `service:<name>` in its cluster, started by one of its deployments or task sets. */
  private ownedTasks(record: ServiceRecord): TaskRecord[] {
    const internal = internalOf(record);
    const ids = new Set<string>([
      ...internal.deployments.map((d) => d.id),
      ...internal.retired.map((d) => d.id),
      ...internal.taskSets.map((t) => t.id),
    ]);
    const name = record.service.serviceName;
    const out: TaskRecord[] = [];
    for (const r of this.state(internal.scope).tasks.values()) {
      if (r.serviceName === name && r.clusterName === record.clusterName && ids.has(r.task.startedBy ?? "")) out.push(r);
    }
    return out;
  }

  /** Forgets tasks the store no longer holds (STOPPED tasks expire), so long-lived services stay small. */
  private prune(internal: ServiceInternal, tasks: TaskRecord[]): void {
    const limit = 2 * tasks.length + 200;
    if (internal.accounted.size + internal.everHealthy.size + internal.schedulerStopped.size <= 3 * limit) return;
    const present = new Set(tasks.map((r) => r.task.taskArn!));
    for (const set of [internal.accounted, internal.everHealthy, internal.schedulerStopped]) {
      for (const arn of set) if (!present.has(arn)) set.delete(arn);
    }
  }

  /** First sight of a task meant to stop: failures feed the circuit breaker and the start back-off. */
  private accountStops(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const name = record.service.serviceName!;
    for (const r of tasks) {
      const t = r.task;
      const arn = t.taskArn!;
      if (t.desiredStatus !== "STOPPED" || internal.accounted.has(arn)) continue;
      internal.accounted.add(arn);
      internal.steady = false;
      if (internal.schedulerStopped.has(arn)) continue;
      if (t.stopCode === "TaskFailedToStart" && t.stoppedReason) {
        this.event(record, Messages.svcUnableToPlace(name, t.stoppedReason));
      }
      const failed = !internal.everHealthy.has(arn) && !EXTERNAL_STOPS.has(t.stopCode ?? "");
      if (failed) this.recordFailure(record, t, now);
    }
  }

  private recordFailure(record: ServiceRecord, t: Task, now: number): void {
    const internal = internalOf(record);
    const dep = internal.deployments.find((d) => d.id === t.startedBy);
    if (dep && !dep.breakerSettled && dep.rolloutState === "IN_PROGRESS") {
      dep.failedTasks++;
      dep.updatedAt = now;
      const sd = internal.serviceDeployments.find((s) => s.arn === dep.serviceDeploymentArn);
      if (sd && sd.breaker.status === "MONITORING") sd.breaker.failureCount = dep.failedTasks;
    }
    internal.consecutiveFailures++;
    const cfg = this.deps.config;
    if (internal.consecutiveFailures >= cfg.startFailureThreshold) {
      const steps = internal.consecutiveFailures - cfg.startFailureThreshold;
      const delay = Math.min(cfg.startFailureBackoffMaxMs, cfg.startFailureBackoffMs * 2 ** Math.min(steps, 30));
      internal.nextLaunchAt = Math.max(internal.nextLaunchAt, now + delay);
      if (!internal.startImpaired) {
        internal.startImpaired = true;
        this.event(record, Messages.svcStartImpaired(record.service.serviceName!));
        this.publishAction(record, "WARN", "SERVICE_TASK_START_IMPAIRED");
      }
    }
  }

  private markHealth(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    for (const r of tasks) {
      const arn = r.task.taskArn!;
      if (internal.everHealthy.has(arn) || !this.healthy(record, r, now)) continue;
      internal.everHealthy.add(arn);
      internal.consecutiveFailures = 0;
      internal.startImpaired = false;
      const dep = internal.deployments.find((d) => d.id === r.task.startedBy);
      const resetOnHealthy = record.service.deploymentConfiguration?.deploymentCircuitBreaker?.resetOnHealthyTask ?? true;
      if (dep && !dep.breakerSettled && resetOnHealthy) {
        dep.breakerSettled = true;
        dep.failedTasks = 0;
      }
    }
  }

  /** Tasks whose container health checks failed after the grace period are replaced. */
  private enforceContainerHealth(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const graceMs = (record.service.healthCheckGracePeriodSeconds ?? 0) * 1000;
    for (const r of tasks) {
      const t = r.task;
      if (t.desiredStatus !== "RUNNING" || t.lastStatus !== "RUNNING" || t.healthStatus !== "UNHEALTHY") continue;
      if (now - (t.startedAt?.getTime() ?? now) < graceMs) continue;
      const name = record.service.serviceName!;
      this.event(record, Messages.svcTaskFailedHealthChecks(name, taskIdOfArn(t.taskArn!)));
      internal.schedulerStopped.add(t.taskArn!);
      internal.accounted.add(t.taskArn!);
      this.deps.tasks.stopBySystem(t.taskArn!, "ServiceSchedulerInitiated", Messages.taskFailedContainerHealthChecks);
      this.event(record, Messages.svcStoppedTasks(name, [taskIdOfArn(t.taskArn!)]));
      if (!internal.everHealthy.has(t.taskArn!)) this.recordFailure(record, t, now);
      internal.steady = false;
    }
  }

  private checkCircuitBreaker(record: ServiceRecord, _tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const primary = internal.deployments.find((d) => d.status === "PRIMARY");
    const breaker = record.service.deploymentConfiguration?.deploymentCircuitBreaker;
    if (!primary || !breaker?.enable || primary.rolloutState !== "IN_PROGRESS" || primary.breakerSettled) return;
    const threshold = breakerThreshold(record.service.desiredCount ?? 0);
    if (primary.failedTasks < threshold) return;

    const name = record.service.serviceName!;
    primary.rolloutState = "FAILED";
    primary.rolloutStateReason = Messages.circuitBreakerTasksFailed;
    primary.updatedAt = now;
    this.event(record, Messages.svcDeploymentFailed(name));
    this.publishDeployment(record, "ERROR", "SERVICE_DEPLOYMENT_FAILED", primary.id, Messages.circuitBreakerTaskFailedEvent);
    this.ctx.logger.warn(`service ${name}: deployment ${primary.id} failed (circuit breaker, ${primary.failedTasks} failed tasks)`);
    const sd = internal.serviceDeployments.find((s) => s.arn === primary.serviceDeploymentArn);
    if (sd) {
      sd.breaker = { ...sd.breaker, status: "TRIGGERED", failureCount: primary.failedTasks };
      sd.updatedAt = now;
    }
    const last = internal.lastCompleted;
    if (breaker.rollback && last && last.revisionArn !== primary.revisionArn) {
      const reason = Messages.circuitBreakerRollingBack(last.deploymentId);
      if (sd) {
        sd.status = "ROLLBACK_IN_PROGRESS";
        sd.statusReason = Messages.circuitBreakerTasksFailed;
        sd.rollback = { reason, startedAt: now, serviceRevisionArn: last.revisionArn };
      }
      this.event(record, Messages.svcRollingBack(name, last.deploymentId));
      this.startDeployment(record, last.config, { rollbackOf: primary, revisionArn: last.revisionArn, reason });
    } else if (sd) {
      sd.status = breaker.rollback ? "ROLLBACK_FAILED" : "STOPPED";
      sd.statusReason = Messages.circuitBreakerTasksFailed;
      sd.stoppedAt = now;
    }
  }

  /**
   * The rolling step (reference §10.1): start PRIMARY tasks within maximumPercent (rounded down),
   * stop tasks of older deployments while the healthy count stays at or above
   * minimumHealthyPercent (rounded up), and scale the PRIMARY in or out.
   */
  private rollDeployments(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const s = record.service;
    const primary = internal.deployments.find((d) => d.status === "PRIMARY");
    const liveTasks = tasks.filter((r) => r.task.desiredStatus === "RUNNING" && r.task.lastStatus !== "STOPPED");
    if (s.status !== "ACTIVE" || !primary) {
      this.schedulerStop(record, liveTasks, now);
      return;
    }
    const desired = s.desiredCount ?? 0;
    const pLive = liveTasks.filter((r) => r.task.startedBy === primary.id);
    const others = liveTasks.filter((r) => r.task.startedBy !== primary.id);
    const primaryActive = primary.rolloutState !== "FAILED";

    if (internal.deployments.length === 1) {
      if (!primaryActive) return;
      if (pLive.length < desired) this.launchFor(record, primary, desired - pLive.length, pLive, now);
      else if (pLive.length > desired) this.schedulerStop(record, pickForScaleIn(pLive, (r) => this.healthy(record, r, now), pLive.length - desired, this.isProtected), now);
      return;
    }

    if (!primaryActive) {
      // A failed deployment without rollback launches nothing; its own tasks go, the rest stays.
      return;
    }
    const cfg = s.deploymentConfiguration ?? {};
    const minHealthy = Math.ceil((desired * (cfg.minimumHealthyPercent ?? 100)) / 100);
    const maxTotal = Math.floor((desired * (cfg.maximumPercent ?? 200)) / 100);
    const isHealthy = (r: TaskRecord) => this.healthy(record, r, now);
    const healthyCount = liveTasks.filter(isHealthy).length;
    const toStop: TaskRecord[] = [];
    let budget = healthyCount - minHealthy;
    // Older tasks that are not healthy never count toward the minimum: replace them first.
    const ordered = [...others].sort((a, b) => Number(isHealthy(a)) - Number(isHealthy(b)) || startedAtOf(b) - startedAtOf(a));
    for (const r of ordered) {
      if (!isHealthy(r)) toStop.push(r);
      else if (budget > 0) {
        toStop.push(r);
        budget--;
      }
    }
    if (pLive.length > desired) {
      for (const r of pickForScaleIn(pLive, isHealthy, pLive.length - desired, this.isProtected)) {
        if (isHealthy(r) && budget <= 0) continue;
        if (isHealthy(r)) budget--;
        toStop.push(r);
      }
    }
    // maximumPercent bounds the tasks in the RUNNING or PENDING state: those still stopping count
    // until their containers are gone.
    const occupying = tasks.filter((r) => OCCUPYING.has(r.task.lastStatus ?? "")).length;
    const toStart = Math.max(0, Math.min(desired - pLive.length, maxTotal - occupying));
    if (toStop.length) this.schedulerStop(record, toStop, now);
    if (toStart > 0) this.launchFor(record, primary, toStart, pLive, now);
    // Only a real dead end is reported: nothing starting, nothing on its way out.
    const inFlight = pLive.some((r) => !isHealthy(r)) || occupying > liveTasks.length;
    if (toStop.length === 0 && toStart === 0 && !inFlight && pLive.length < desired && !primary.unableReported) {
      primary.unableReported = true;
      this.event(record, Messages.svcUnableToStopOrStart(s.serviceName!));
    }
  }

  /** Older deployments leave `deployments` once every task of theirs has STOPPED. */
  private retireDeployments(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    for (const d of [...internal.deployments]) {
      if (d.status === "PRIMARY") continue;
      if (tasks.some((r) => r.task.startedBy === d.id && r.task.lastStatus !== "STOPPED")) continue;
      d.status = "INACTIVE";
      d.updatedAt = now;
      internal.deployments.splice(internal.deployments.indexOf(d), 1);
      internal.retired.push(d);
      internal.steady = false;
    }
  }

  private checkCompletion(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const primary = internal.deployments.find((d) => d.status === "PRIMARY");
    if (!primary || primary.rolloutState !== "IN_PROGRESS" || internal.deployments.length !== 1) return;
    if (record.service.status !== "ACTIVE") return;
    const desired = record.service.desiredCount ?? 0;
    const mine = tasks.filter((r) => r.task.startedBy === primary.id && r.task.lastStatus !== "STOPPED");
    if (mine.length !== desired || !mine.every((r) => r.task.desiredStatus === "RUNNING" && this.healthy(record, r, now))) return;

    primary.rolloutState = "COMPLETED";
    primary.rolloutStateReason = Messages.deploymentCompleted(primary.id);
    primary.updatedAt = now;
    internal.lastCompleted = { deploymentId: primary.id, revisionArn: primary.revisionArn, config: primary.config };
    const sd = internal.serviceDeployments.find((s) => s.arn === primary.serviceDeploymentArn);
    if (sd && (sd.status === "IN_PROGRESS" || sd.status === "ROLLBACK_IN_PROGRESS")) {
      sd.status = primary.rollbackOf ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
      sd.finishedAt = now;
      sd.updatedAt = now;
    }
    this.event(record, Messages.svcDeploymentCompleted(record.service.serviceName!, primary.id));
    this.publishDeployment(record, "INFO", "SERVICE_DEPLOYMENT_COMPLETED", primary.id, primary.rolloutStateReason);
  }

  private checkSteady(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const s = record.service;
    if (s.status !== "ACTIVE") return;
    const desired = s.desiredCount ?? 0;
    const notStopped = tasks.filter((r) => r.task.lastStatus !== "STOPPED");
    const allSettled =
      notStopped.length === (internal.controller === "ECS" ? desired : this.taskSetsDesired(record)) &&
      notStopped.every((r) => r.task.desiredStatus === "RUNNING" && this.healthy(record, r, now));
    let stable: boolean;
    if (internal.controller === "ECS") {
      const primary = internal.deployments[0];
      stable = internal.deployments.length === 1 && primary?.rolloutState === "COMPLETED" && allSettled;
    } else {
      stable = allSettled && internal.taskSets.every((t) => t.stabilityStatus === "STEADY_STATE");
    }
    if (!stable) {
      internal.steady = false;
      return;
    }
    if (internal.steady) return;
    internal.steady = true;
    this.event(record, Messages.svcSteadyState(s.serviceName!));
    this.publishAction(record, "INFO", "SERVICE_STEADY_STATE");
  }

  private checkDrained(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const s = record.service;
    if (s.status !== "DRAINING") return;
    if (tasks.some((r) => r.task.lastStatus !== "STOPPED")) {
      delete internal.drainedAt;
      return;
    }
    internal.drainedAt ??= now;
    if (now - internal.drainedAt < this.deps.config.drainingMs) return;
    s.status = "INACTIVE";
    for (const d of internal.deployments) d.updatedAt = now;
    internal.taskSets = [];
    record.taskSets = [];
    this.deps.loadBalancers?.closeService(s.serviceArn!);
    this.ctx.logger.info(`service ${s.serviceName} is INACTIVE`, { cluster: record.clusterName });
  }

  // ---- Task sets in the loop ----------------------------------------------------------------

  private reconcileTaskSets(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    for (const ts of [...internal.taskSets]) {
      const mine = tasks.filter((r) => r.task.startedBy === ts.id);
      const live = mine.filter((r) => r.task.desiredStatus === "RUNNING" && r.task.lastStatus !== "STOPPED");
      if (ts.status === "DRAINING" || record.service.status !== "ACTIVE") {
        this.schedulerStop(record, live, now, ts.id);
        if (mine.every((r) => r.task.lastStatus === "STOPPED")) {
          internal.taskSets.splice(internal.taskSets.indexOf(ts), 1);
          this.refreshTaskSetViews(record);
        }
        continue;
      }
      const desired = this.taskSetDesired(record, ts);
      if (live.length < desired) this.launchFor(record, { id: ts.id, config: ts.config }, desired - live.length, live, now);
      else if (live.length > desired) {
        this.schedulerStop(record, pickForScaleIn(live, (r) => this.healthy(record, r, now), live.length - desired, this.isProtected), now, ts.id);
      }
      const counts = countTasks(mine);
      const steady = counts.running === desired && counts.pending === 0 && mine.every((r) => r.task.lastStatus === "STOPPED" || r.task.desiredStatus === "RUNNING");
      const status = steady ? "STEADY_STATE" : "STABILIZING";
      if (status !== ts.stabilityStatus) {
        ts.stabilityStatus = status;
        ts.stabilityStatusAt = now;
        if (steady) this.publishAction(record, "INFO", "TASKSET_STEADY_STATE", { taskSetArns: [ts.arn] });
      }
    }
    this.refreshTaskSetViews(record);
  }

  private taskSetDesired(record: ServiceRecord, ts: TaskSetState): number {
    return Math.ceil(((record.service.desiredCount ?? 0) * ts.scale.value) / 100);
  }

  private taskSetsDesired(record: ServiceRecord): number {
    return internalOf(record)
      .taskSets.filter((t) => t.status !== "DRAINING")
      .reduce((sum, t) => sum + this.taskSetDesired(record, t), 0);
  }

  private addTaskSet(
    record: ServiceRecord,
    config: RevisionConfig,
    scale: { value: number; unit: "PERCENT" },
    status: "PRIMARY" | "ACTIVE",
    extra: { externalId?: string; clientToken?: string; tags?: Tag[] },
  ): TaskSetState {
    const internal = internalOf(record);
    const now = this.ctx.clock.now();
    const id = deploymentId(this.random);
    const ts: TaskSetState = {
      id,
      arn: Arn.taskSet(internal.scope, record.clusterName, record.service.serviceName!, id),
      status,
      config,
      scale,
      ...(extra.externalId ? { externalId: extra.externalId } : {}),
      ...(extra.clientToken ? { clientToken: extra.clientToken } : {}),
      ...(internal.controller === "CODE_DEPLOY" ? { startedBy: "CODE_DEPLOY" } : {}),
      createdAt: now,
      updatedAt: now,
      stabilityStatus: "STABILIZING",
      stabilityStatusAt: now,
      tags: extra.tags ?? [],
    };
    internal.taskSets.push(ts);
    this.deps.tags.replace(ts.arn, ts.tags);
    this.newRevision(record, config);
    if (status === "PRIMARY") this.applyPrimaryTaskSet(record, ts);
    internal.steady = false;
    this.refreshTaskSetViews(record);
    return ts;
  }

  private applyPrimaryTaskSet(record: ServiceRecord, ts: TaskSetState): void {
    const s = record.service;
    s.taskDefinition = ts.config.taskDefinitionArn;
    if (ts.config.loadBalancers.length) s.loadBalancers = ts.config.loadBalancers;
  }

  private refreshTaskSetViews(record: ServiceRecord): void {
    record.taskSets = internalOf(record).taskSets.map((ts) => this.taskSetViewOf(record, ts, false));
  }

  private taskSetViewOf(record: ServiceRecord, ts: TaskSetState, withTags: boolean) {
    const mine = this.ownedTasks(record).filter((r) => r.task.startedBy === ts.id);
    return taskSetView(record, ts, ts.status === "DRAINING" ? 0 : this.taskSetDesired(record, ts), countTasks(mine), withTags);
  }

  private checkTaskSetControllerUpdate(scope: Scope, record: ServiceRecord, input: UpdateServiceRequest): void {
    const controller = internalOf(record).controller;
    if (controller === "CODE_DEPLOY") {
      if (input.taskDefinition !== undefined) {
        const resolved = this.deps.taskDefinitions.find(scope, input.taskDefinition)?.record.definition.taskDefinitionArn;
        if (resolved !== record.service.taskDefinition) throw new InvalidParameterException(Messages.codeDeployTaskDefinition);
      }
      if (input.forceNewDeployment) throw new InvalidParameterException(Messages.codeDeployForce);
    }
    const restricted: [string, unknown][] = [
      ["network parameters", input.networkConfiguration],
      ["capacity provider strategy", input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : undefined],
      ["platform version", input.platformVersion],
      ["load balancers", input.loadBalancers?.length ? input.loadBalancers : undefined],
      ["service registries", input.serviceRegistries?.length ? input.serviceRegistries : undefined],
      ["service connect configuration", input.serviceConnectConfiguration],
    ];
    if (controller === "EXTERNAL") {
      restricted.unshift(["task definition", input.taskDefinition], ["forceNewDeployment", input.forceNewDeployment || undefined]);
      restricted.push(["deployment configuration", input.deploymentConfiguration]);
    }
    for (const [field, value] of restricted) {
      if (value === undefined) continue;
      throw new InvalidParameterException(
        controller === "CODE_DEPLOY" ? Messages.codeDeployParameter(field) : Messages.externalParameter(field),
      );
    }
  }

  // ---- Deployments --------------------------------------------------------------------------

  private startDeployment(
    record: ServiceRecord,
    config: RevisionConfig,
    rollback?: { rollbackOf: DeploymentState; revisionArn: string; reason: string },
  ): DeploymentState {
    const internal = internalOf(record);
    const now = this.ctx.clock.now();
    const revisionArn = rollback?.revisionArn ?? this.newRevision(record, config).arn;
    const id = deploymentId(this.random);
    for (const d of internal.deployments) {
      if (d.status === "PRIMARY") {
        d.status = "ACTIVE";
        d.updatedAt = now;
      }
    }
    let sd: ServiceDeploymentState | undefined;
    if (rollback) {
      sd = internal.serviceDeployments.find((s) => s.arn === rollback.rollbackOf.serviceDeploymentArn);
    } else {
      for (const prior of internal.serviceDeployments) {
        if (prior.status === "IN_PROGRESS" || prior.status === "ROLLBACK_IN_PROGRESS") {
          const target = internal.deployments.find((d) => d.serviceDeploymentArn === prior.arn && d.status !== "INACTIVE");
          prior.status = "STOPPED";
          prior.statusReason = Messages.deploymentSuperseded(target?.id ?? prior.arn);
          prior.stoppedAt = now;
          prior.updatedAt = now;
        }
      }
      const breaker = record.service.deploymentConfiguration?.deploymentCircuitBreaker;
      sd = {
        arn: Arn.serviceDeployment(internal.scope, record.clusterName, record.service.serviceName!, serviceDeploymentId(this.random)),
        createdAt: now,
        startedAt: now,
        updatedAt: now,
        status: "IN_PROGRESS",
        sourceRevisionArns: [...new Set(internal.deployments.map((d) => d.revisionArn))],
        targetRevisionArn: revisionArn,
        deploymentConfiguration: structuredClone(record.service.deploymentConfiguration ?? {}),
        deploymentIds: [],
        breaker: {
          status: breaker?.enable ? "MONITORING" : "DISABLED",
          failureCount: 0,
          threshold: breakerThreshold(record.service.desiredCount ?? 0),
        },
      };
      internal.serviceDeployments.push(sd);
    }
    const deployment: DeploymentState = {
      id,
      status: "PRIMARY",
      revisionArn,
      config,
      serviceDeploymentArn: sd?.arn ?? "",
      failedTasks: 0,
      breakerSettled: false,
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: rollback?.reason ?? Messages.deploymentInProgress(id),
      createdAt: now,
      updatedAt: now,
      ...(rollback ? { rollbackOf: rollback.rollbackOf.id } : {}),
    };
    sd?.deploymentIds.push(id);
    internal.deployments.unshift(deployment);
    record.service.taskDefinition = config.taskDefinitionArn;
    internal.steady = false;
    internal.consecutiveFailures = 0;
    internal.startImpaired = false;
    internal.nextLaunchAt = 0;
    internal.placementDelayMs = 0;
    this.publishDeployment(record, "INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS", id, deployment.rolloutStateReason);
    this.ctx.logger.info(`service ${record.service.serviceName}: deployment ${id} started`, {
      taskDefinition: config.taskDefinitionArn,
      ...(rollback ? { rollbackOf: rollback.rollbackOf.id } : {}),
    });
    return deployment;
  }

  private newRevision(record: ServiceRecord, config: RevisionConfig): RevisionState {
    const internal = internalOf(record);
    const revision: RevisionState = {
      arn: Arn.serviceRevision(internal.scope, record.clusterName, record.service.serviceName!, serviceRevisionId(this.random)),
      config,
      createdAt: this.ctx.clock.now(),
    };
    internal.revisions.push(revision);
    return revision;
  }

  private revisionCounts(record: ServiceRecord, revisionArn: string) {
    const internal = internalOf(record);
    const ids = new Set([...internal.deployments, ...internal.retired].filter((d) => d.revisionArn === revisionArn).map((d) => d.id));
    const mine = this.ownedTasks(record).filter((r) => ids.has(r.task.startedBy ?? ""));
    const counts = countTasks(mine);
    const primary = internal.deployments.find((d) => d.status === "PRIMARY");
    const requested = primary?.revisionArn === revisionArn ? record.service.desiredCount ?? 0 : 0;
    return { requested, running: counts.running, pending: counts.pending };
  }

  // ---- Launching and stopping ---------------------------------------------------------------

  /** Starts up to `count` tasks for a deployment or task set, one at a time through TaskScheduler.launch. */
  private launchFor(
    record: ServiceRecord,
    owner: { id: string; config: RevisionConfig },
    count: number,
    existing: TaskRecord[],
    now: number,
  ): void {
    const internal = internalOf(record);
    if (count <= 0 || now < internal.nextLaunchAt) return;
    const scope = internal.scope;
    const name = record.service.serviceName!;
    const def = this.deps.taskDefinitions.find(scope, owner.config.taskDefinitionArn)?.record.definition;
    const cluster = this.state(scope).clusters.get(record.clusterName)?.cluster;
    if (!def || !cluster) return;
    const target = owner.config.target;
    const existingByProvider = new Map<string, number>();
    if (target.kind === "strategy") {
      for (const s of target.strategy) existingByProvider.set(s.capacityProvider!, 0);
      for (const r of existing) {
        const p = r.task.capacityProviderName ?? "FARGATE";
        existingByProvider.set(p, (existingByProvider.get(p) ?? 0) + 1);
      }
    }
    const tags = this.taskTags(record, def);
    const started: string[] = [];
    for (let i = 0; i < count; i++) {
      const provider = target.kind === "strategy" ? placeTasks(target.strategy, 1, existingByProvider)[0]! : "FARGATE";
      let result: { tasks: Task[]; failures: Failure[] };
      try {
        result = this.deps.tasks.launch(
          scope,
          {
            cluster,
            definition: def,
            count: 1,
            target,
            networkConfiguration: owner.config.networkConfiguration,
            startedBy: owner.id,
            group: `service:${name}`,
            tags,
            enableExecuteCommand: record.service.enableExecuteCommand ?? false,
            ...(target.kind === "strategy" ? { existingByProvider: new Map(existingByProvider) } : {}),
          },
          { serviceName: name, requestId: `service-scheduler/${name}`, operation: "ServiceScheduler" },
        );
      } catch (err) {
        if (!(err instanceof ThrottlingException)) throw err;
        this.throttled(record, now);
        break;
      }
      const failure = result.failures[0];
      if (failure) {
        if (failure.reason === Messages.fargateLaunchRateExceeded) this.throttled(record, now);
        else this.placementFailed(record, failure.reason ?? "Internal error.", provider, now);
        break;
      }
      const task = result.tasks[0]!;
      started.push(taskIdOfArn(task.taskArn!));
      if (target.kind === "strategy") {
        const p = task.capacityProviderName ?? provider;
        existingByProvider.set(p, (existingByProvider.get(p) ?? 0) + 1);
      }
    }
    if (started.length) {
      internal.placementDelayMs = 0;
      internal.steady = false;
      this.event(record, Messages.svcStartedTasks(name, started));
    }
  }

  private backOff(record: ServiceRecord, now: number): void {
    const internal = internalOf(record);
    const cfg = this.deps.config;
    internal.placementDelayMs = internal.placementDelayMs
      ? Math.min(cfg.placementRetryMaxMs, internal.placementDelayMs * 2)
      : cfg.placementRetryMs;
    internal.nextLaunchAt = Math.max(internal.nextLaunchAt, now + internal.placementDelayMs);
  }

  private throttled(record: ServiceRecord, now: number): void {
    this.event(record, Messages.svcThrottled(record.service.serviceName!));
    this.publishAction(record, "ERROR", "ECS_OPERATION_THROTTLED");
    this.backOff(record, now);
  }

  private placementFailed(record: ServiceRecord, reason: string, provider: string, now: number): void {
    const scope = internalOf(record).scope;
    this.event(record, Messages.svcUnableToPlace(record.service.serviceName!, reason));
    const resource =
      reason === Messages.cpuAboveLimit ? "RESOURCE:CPU" : reason === Messages.memoryAboveLimit ? "RESOURCE:MEMORY" : "RESOURCE:FARGATE";
    this.publishAction(record, "ERROR", "SERVICE_TASK_PLACEMENT_FAILURE", {
      capacityProviderArns: [Arn.capacityProvider(scope, provider)],
      reason: resource,
    });
    this.ctx.logger.warn(`service ${record.service.serviceName} was unable to place a task: ${reason}`, { cluster: record.clusterName });
    this.backOff(record, now);
  }

  private readonly isProtected = (r: TaskRecord): boolean => this.deps.tasks.isProtected(r);

  private schedulerStop(record: ServiceRecord, tasks: TaskRecord[], _now: number, ownerId?: string): void {
    if (tasks.length === 0) return;
    const internal = internalOf(record);
    const ids: string[] = [];
    // Scale-in protection holds while the service is ACTIVE; deleting the service stops everything.
    const honourProtection = record.service.status === "ACTIVE";
    for (const r of tasks) {
      const arn = r.task.taskArn!;
      if (r.task.desiredStatus === "STOPPED") continue;
      if (honourProtection && this.isProtected(r)) continue;
      internal.schedulerStopped.add(arn);
      internal.accounted.add(arn);
      const deployment = ownerId ?? r.task.startedBy ?? "";
      this.deps.tasks.stopBySystem(arn, "ServiceSchedulerInitiated", Messages.scalingActivity(deployment));
      ids.push(taskIdOfArn(arn));
    }
    if (ids.length) {
      internal.steady = false;
      this.event(record, Messages.svcStoppedTasks(record.service.serviceName!, ids));
    }
  }

  private taskTags(record: ServiceRecord, def: TaskDefinition): Tag[] {
    const s = record.service;
    const byKey = new Map<string, Tag>();
    if (s.propagateTags === "TASK_DEFINITION") for (const t of this.deps.tags.get(def.taskDefinitionArn!)) byKey.set(t.key!, t);
    if (s.propagateTags === "SERVICE") for (const t of this.deps.tags.get(s.serviceArn!)) byKey.set(t.key!, t);
    if (s.enableECSManagedTags) {
      byKey.set("aws:ecs:clusterName", { key: "aws:ecs:clusterName", value: record.clusterName });
      byKey.set("aws:ecs:serviceName", { key: "aws:ecs:serviceName", value: s.serviceName! });
    }
    return [...byKey.values()];
  }

  // ---- Health and load balancing ------------------------------------------------------------

  /**
   * Healthy for a deployment: RUNNING and meant to run, and HEALTHY when its essential containers
   * have health checks; without health checks, after `healthyAfterMs` of RUNNING (AWS: 40 s).
   */
  private healthy(record: ServiceRecord, r: TaskRecord, now: number): boolean {
    const t = r.task;
    if (t.lastStatus !== "RUNNING" || t.desiredStatus !== "RUNNING") return false;
    if (t.healthStatus === "HEALTHY") return true;
    if (this.hasHealthChecks(internalOf(record).scope, t.taskDefinitionArn!)) return false;
    return now - (t.startedAt?.getTime() ?? now) >= this.deps.config.healthyAfterMs;
  }

  private hasHealthChecks(scope: Scope, taskDefinitionArn: string): boolean {
    let cached = this.healthCheckCache.get(taskDefinitionArn);
    if (cached === undefined) {
      const def = this.deps.taskDefinitions.find(scope, taskDefinitionArn)?.record.definition;
      cached = (def?.containerDefinitions ?? []).some((c) => (c.essential ?? true) && c.healthCheck);
      this.healthCheckCache.set(taskDefinitionArn, cached);
    }
    return cached;
  }

  /** Registers RUNNING tasks in the service's target groups and deregisters leaving ones. */
  private syncTargets(record: ServiceRecord, tasks: TaskRecord[]): void {
    const internal = internalOf(record);
    const s = record.service;
    const lbs = (s.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
    if (lbs.length === 0 && internal.registered.size === 0) return;
    const primaryTaskSet = internal.taskSets.find((t) => t.status === "PRIMARY")?.id;
    const serving = tasks.filter(
      (r) =>
        r.task.desiredStatus === "RUNNING" &&
        r.task.lastStatus === "RUNNING" &&
        r.task.healthStatus !== "UNHEALTHY" &&
        (internal.controller === "ECS" || r.task.startedBy === primaryTaskSet) &&
        s.status === "ACTIVE",
    );
    const name = s.serviceName!;
    const groups = new Set([...lbs.map((lb) => lb.targetGroupArn!), ...internal.registered.keys()]);
    for (const tg of groups) {
      const lb = lbs.find((x) => x.targetGroupArn === tg);
      const wanted = lb ? serving : [];
      const current = internal.registered.get(tg) ?? new Set<string>();
      const wantedArns = new Set(wanted.map((r) => r.task.taskArn!));
      const added = [...wantedArns].filter((a) => !current.has(a));
      const removed = [...current].filter((a) => !wantedArns.has(a));
      if (removed.length) {
        this.event(record, Messages.svcDrainingConnections(name, removed.length));
        this.event(record, Messages.svcDeregisteredTargets(name, removed.length, tg));
      }
      if (added.length) this.event(record, Messages.svcRegisteredTargets(name, added.length, tg));
      if (wantedArns.size) internal.registered.set(tg, wantedArns);
      else internal.registered.delete(tg);
      const doors = this.deps.loadBalancers;
      if (!doors || !lb) continue;
      this.openDoors(record);
      doors.setTargets(LocalLoadBalancers.key(s.serviceArn!, tg), wanted.map((r) => this.frontDoorTarget(r, lb)));
    }
  }

  /** Opens a front door per target group as soon as the service has one, so its port is known at once. */
  private openDoors(record: ServiceRecord): void {
    const doors = this.deps.loadBalancers;
    const s = record.service;
    if (!doors || s.status !== "ACTIVE") return;
    for (const lb of s.loadBalancers ?? []) {
      if (!lb.targetGroupArn) continue;
      const key = LocalLoadBalancers.key(s.serviceArn!, lb.targetGroupArn);
      if (doors.has(key)) continue;
      doors.open(key, {
        serviceArn: s.serviceArn!,
        serviceName: s.serviceName!,
        targetGroupArn: lb.targetGroupArn,
        containerName: lb.containerName ?? "",
        containerPort: lb.containerPort ?? 0,
      });
    }
  }

  private frontDoorTarget(r: TaskRecord, lb: LoadBalancer): FrontDoorTarget {
    const base = { taskArn: r.task.taskArn!, taskDefinitionArn: r.task.taskDefinitionArn! };
    if (this.deps.runtimeKind === "simulated") return base;
    const container = r.task.containers?.find((c) => c.name === lb.containerName);
    const binding = container?.networkBindings?.find((b) => b.containerPort === lb.containerPort);
    if (!binding?.hostPort) return base;
    const ip = binding.bindIP;
    const host = !ip || ip === "0.0.0.0" || ip === "::" ? "127.0.0.1" : ip;
    return { ...base, host, port: binding.hostPort };
  }

  // ---- Events -------------------------------------------------------------------------------

  private event(record: ServiceRecord, message: string): void {
    const internal = internalOf(record);
    internal.events.unshift({ id: this.random.uuid(), createdAt: this.ctx.clock.now(), message });
    if (internal.events.length > MAX_EVENTS) internal.events.length = MAX_EVENTS;
    this.ctx.logger.debug(message, { cluster: record.clusterName });
  }

  private publishAction(record: ServiceRecord, eventType: "INFO" | "WARN" | "ERROR", eventName: string, extra: Record<string, unknown> = {}): void {
    const scope = internalOf(record).scope;
    this.ctx.bus.publish("service.event", {
      account: scope.account,
      region: scope.region,
      detailType: "ECS Service Action",
      resources: [record.service.serviceArn!],
      detail: {
        eventType,
        eventName,
        clusterArn: record.service.clusterArn,
        ...extra,
        createdAt: new Date(this.ctx.clock.now()).toISOString(),
      },
    });
  }

  private publishDeployment(
    record: ServiceRecord,
    eventType: "INFO" | "ERROR",
    eventName: string,
    id: string,
    reason: string,
  ): void {
    const scope = internalOf(record).scope;
    this.ctx.bus.publish("service.event", {
      account: scope.account,
      region: scope.region,
      detailType: "ECS Deployment State Change",
      resources: [record.service.serviceArn!],
      detail: { eventType, eventName, deploymentId: id, updatedAt: new Date(this.ctx.clock.now()).toISOString(), reason },
    });
  }

  // ---- Lookups and validation ---------------------------------------------------------------

  private state(scope: Scope): RegionState {
    return this.ctx.store.region(scope.account, scope.region);
  }

  /** The service by name or ARN in the cluster, whatever its status. */
  find(scope: Scope, clusterName: string, ref: string): ServiceRecord | undefined {
    const arn = Arn.service(scope, clusterName, nameFromArnOrName(ref));
    if (ref.startsWith("arn:") && ref !== arn) return undefined;
    return this.state(scope).services.get(arn);
  }

  private require(scope: Scope, clusterRef: string | undefined, serviceRef: string): ServiceRecord {
    const cluster = this.deps.clusters.resolve(scope, clusterRef).cluster;
    const record = this.find(scope, cluster.clusterName!, serviceRef);
    if (!record) throw new ServiceNotFoundException(Messages.serviceNotFound);
    return record;
  }

  private requireTaskSet(scope: Scope, clusterRef: string, serviceRef: string, taskSetRef: string) {
    const record = this.require(scope, clusterRef, serviceRef);
    if (record.service.status !== "ACTIVE") throw new ServiceNotActiveException(Messages.serviceNotActive);
    const internal = internalOf(record);
    if (internal.controller === "ECS") throw new InvalidParameterException(Messages.taskSetsNeedController);
    const ts = internal.taskSets.find((t) => t.arn === taskSetRef || t.id === taskSetRef);
    if (!ts) throw new TaskSetNotFoundException(Messages.taskSetNotFound);
    return { record, ts };
  }

  private serviceOfChildArn(scope: Scope, arn: string, type: string): ServiceRecord | undefined {
    const parsed = parseArn(arn);
    if (!parsed || parsed.resourceType !== type || parsed.account !== scope.account || parsed.region !== scope.region) return undefined;
    const [cluster, service] = parsed.resource.split("/");
    if (!cluster || !service) return undefined;
    return this.state(scope).services.get(Arn.service(scope, cluster, service));
  }

  private findServiceDeployment(scope: Scope, arn: string) {
    const record = this.serviceOfChildArn(scope, arn, "service-deployment");
    const sd = record ? internalOf(record).serviceDeployments.find((s) => s.arn === arn) : undefined;
    return record && sd ? { record, sd } : undefined;
  }

  /** Validates and resolves what a deployment or task set will run. */
  private buildConfig(
    scope: Scope,
    cluster: Cluster,
    src: ConfigSource,
    mode: "create" | "update",
    currentTaskDefinitionArn?: string,
  ): RevisionConfig {
    if (!src.taskDefinition) throw new InvalidParameterException(Messages.taskDefinitionNotFound);
    let def: TaskDefinition;
    if (mode === "create") {
      def = this.deps.taskDefinitions.resolveForLaunch(scope, src.taskDefinition);
    } else {
      const found = this.deps.taskDefinitions.find(scope, src.taskDefinition);
      if (!found) throw new ClientException(Messages.taskDefinitionNotFound);
      def = found.record.definition;
      // The running definition may have been deregistered since; a new one must be ACTIVE.
      if (def.taskDefinitionArn !== currentTaskDefinitionArn) {
        if (def.status === "INACTIVE") throw new ClientException(Messages.taskDefinitionInactive);
        if (def.status === "DELETE_IN_PROGRESS") throw new ClientException(Messages.taskDefinitionDeleteInProgress);
      }
    }
    const target: LaunchTarget = resolveLaunchTarget(cluster, src.launchType, src.capacityProviderStrategy);
    checkCompatibility(def, target);
    if (def.networkMode === "awsvpc" && !src.networkConfiguration?.awsvpcConfiguration?.subnets?.length) {
      throw new InvalidParameterException(Messages.networkConfigurationRequired);
    }
    const loadBalancers = src.loadBalancers ?? [];
    if (loadBalancers.length > MAX_TARGET_GROUPS) throw new InvalidParameterException(Messages.tooManyTargetGroups);
    for (const lb of loadBalancers) {
      if (!lb.targetGroupArn && !lb.loadBalancerName) throw new InvalidParameterException(Messages.loadBalancerTargetGroupRequired);
      const container = def.containerDefinitions?.find((c) => c.name === lb.containerName);
      const port = lb.containerPort ?? 0;
      if (!container || !(container.portMappings ?? []).some((p) => p.containerPort === port)) {
        throw new InvalidParameterException(Messages.loadBalancerContainerPort(lb.containerName ?? "", port));
      }
    }
    return {
      taskDefinitionArn: def.taskDefinitionArn!,
      target,
      ...(target.kind === "strategy" ? { capacityProviderStrategy: target.strategy } : { launchType: target.launchType }),
      platformVersion: src.platformVersion ?? "LATEST",
      ...(src.networkConfiguration ? { networkConfiguration: normalizeNetwork(src.networkConfiguration) } : {}),
      loadBalancers: loadBalancers.map((lb) => ({ ...lb })),
      serviceRegistries: (src.serviceRegistries ?? []).map((r) => ({ ...r })),
      ...(src.serviceConnectConfiguration ? { serviceConnectConfiguration: src.serviceConnectConfiguration } : {}),
    };
  }

  /** The service as DescribeServices shows it, with live counts. */
  view(record: ServiceRecord, includeTags: boolean): Service {
    const internal = internalOf(record);
    const tasks = this.ownedTasks(record);
    const desired = record.service.desiredCount ?? 0;
    const deployments = internal.deployments.map((d) => {
      const mine = tasks.filter((r) => r.task.startedBy === d.id);
      const live = mine.filter((r) => r.task.desiredStatus === "RUNNING" && r.task.lastStatus !== "STOPPED").length;
      return deploymentView(d, d.status === "PRIMARY" ? desired : live, countTasks(mine));
    });
    const taskSets = internal.taskSets.map((ts) => this.taskSetViewOf(record, ts, false));
    return serviceView(record, {
      counts: countTasks(tasks),
      deployments,
      taskSets,
      ...(includeTags ? { tags: this.deps.tags.get(record.service.serviceArn!, internal.scope) } : {}),
    });
  }
}

/** Circuit breaker threshold (reference §10.1): 0.5 x desiredCount, clamped to [3, 200]. */
export function breakerThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));
}

function normalizeDeploymentConfiguration(input: DeploymentConfiguration | undefined, controller: string): DeploymentConfiguration {
  const cfg: DeploymentConfiguration = {
    ...(controller === "ECS" ? { deploymentCircuitBreaker: { enable: false, rollback: false } } : {}),
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    ...(input ?? {}),
  };
  const min = cfg.minimumHealthyPercent!;
  const max = cfg.maximumPercent!;
  if (min < 0 || min > 100 || max < 1 || max < min) throw new InvalidParameterException(Messages.deploymentPercentRange);
  return cfg;
}

/** As DescribeServices shows it: security groups and assignPublicIp always present. */
function normalizeNetwork(n: NonNullable<RevisionConfig["networkConfiguration"]>): NonNullable<RevisionConfig["networkConfiguration"]> {
  const vpc = n.awsvpcConfiguration;
  if (!vpc) return structuredClone(n);
  return {
    awsvpcConfiguration: {
      subnets: [...(vpc.subnets ?? [])],
      securityGroups: [...(vpc.securityGroups ?? [])],
      assignPublicIp: vpc.assignPublicIp ?? "DISABLED",
    },
  };
}

function configKey(c: RevisionConfig): string {
  const { target: _target, ...rest } = c;
  return stableStringify(rest);
}

function startedAtOf(r: TaskRecord): number {
  return r.task.startedAt?.getTime() ?? r.task.createdAt?.getTime() ?? 0;
}

/** Scale-in order: tasks that are not healthy first, then the most recently started. */
/** Unhealthy first, then the newest; scale-in-protected tasks are never candidates. */
function pickForScaleIn(
  tasks: TaskRecord[],
  healthy: (r: TaskRecord) => boolean,
  count: number,
  isProtected: (r: TaskRecord) => boolean,
): TaskRecord[] {
  return tasks
    .filter((r) => !isProtected(r))
    .sort((a, b) => Number(healthy(a)) - Number(healthy(b)) || startedAtOf(b) - startedAtOf(a))
    .slice(0, Math.max(0, count));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toMs(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v < 1e11 ? v * 1000 : v;
  const parsed = Date.parse(v);
  return Number.isNaN(parsed) ? undefined : parsed;
}
