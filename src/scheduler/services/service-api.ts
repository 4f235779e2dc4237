import type { Cluster, CreateServiceRequest, Service, UpdateServiceRequest } from "@aws-sdk/client-ecs";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { stableStringify } from "../../core/stable-json.js";
import type { ClusterService } from "../../domain/clusters.js";
import { describeEach } from "../../domain/describe-each.js";
import { paginate, paginateIndex } from "../../domain/pagination.js";
import type { Scope } from "../../domain/scope.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import { InvalidParameterException, LimitExceededException } from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { compileConstraints, compileStrategies } from "../ec2-placement/index.js";
import type { QuotaGate } from "../../quotas/types.js";
import { Arn, nameFromArnOrName } from "../../state/arn.js";
import { ServiceIndex, type ServiceRecord } from "../../state/store.js";
import { resolveLaunchTarget } from "../launch-target.js";
import type { Deployments } from "./deployments.js";
import { internalOf, primaryOf } from "./internal.js";
import type { ServiceLookup } from "./lookup.js";
import type { ReconcileLoop } from "./loop.js";
import { buildConfig, normalizeDeploymentConfiguration, sameConfig, touchesConfig, updatedSource } from "./revision-config.js";
import { newServiceRecord } from "./service-record.js";
import { checkControllerUpdate } from "./task-set-api.js";
import type { TaskSets } from "./task-sets.js";
import type { Targets } from "./targets.js";
import type { RevisionConfig } from "./types.js";

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export interface ListServicesInput {
  cluster?: string;
  launchType?: string;
  schedulingStrategy?: string;
  maxResults?: number;
  nextToken?: string;
}

export interface ListServicesByNamespaceInput {
  namespace: string;
  maxResults?: number;
  nextToken?: string;
}

export type ServiceApi = ReturnType<typeof createServiceApi>;

/** CreateService, UpdateService, DeleteService, DescribeServices, ListServices, ListServicesByNamespace. */
export function createServiceApi(deps: {
  clock: Clock;
  logger: Logger;
  quotas: QuotaGate;
  clusters: ClusterService;
  taskDefinitions: TaskDefinitionRegistry;
  tags: TagService;
  lookup: ServiceLookup;
  deployments: Pick<Deployments, "start">;
  taskSets: Pick<TaskSets, "add" | "refreshViews">;
  targets: Pick<Targets, "openDoors">;
  loop: Pick<ReconcileLoop, "track" | "kick">;
  view: (record: ServiceRecord, includeTags: boolean) => Service;
}) {
  const { clock, lookup, view } = deps;

  function createService(scope: Scope, input: CreateServiceRequest): Service {
    const cluster = deps.clusters.resolve(scope, input.cluster).cluster;
    const name = input.serviceName ?? "";
    if (!SERVICE_NAME.test(name)) throw new InvalidParameterException(Messages.serviceNameInvalid);
    const services = lookup.region(scope).services;
    const arn = Arn.service(scope, cluster.clusterName!, name);
    const { clientToken: _clientToken, ...rest } = input;
    const fingerprint = stableStringify({ ...rest, cluster: cluster.clusterName });
    // A retried CreateService returns the service it created; any other request for the name fails.
    const existing = services.get(arn);
    if (existing && existing.service.status !== "INACTIVE") {
      if (existing.service.status === "ACTIVE" && internalOf(existing).fingerprint === fingerprint) return view(existing, false);
      throw new InvalidParameterException(Messages.serviceNotIdempotent);
    }
    checkServiceLimits(scope, cluster, input.desiredCount);
    const controller = input.deploymentController?.type ?? "ECS";
    const daemon = (input.schedulingStrategy ?? "REPLICA") === "DAEMON";
    if (daemon) checkDaemonRequest(cluster, input, controller);
    checkPlacement(input.placementStrategy, input.placementConstraints);
    const deploymentConfiguration = normalizeDeploymentConfiguration(input.deploymentConfiguration, controller, daemon);

    // EXTERNAL services may be created without a task definition: task sets bring their own.
    const config =
      controller === "EXTERNAL" && !input.taskDefinition
        ? undefined
        : buildConfig(deps.taskDefinitions, deps.clusters.fallbackLaunchType, scope, cluster, input, "create");
    if (!config) resolveLaunchTarget(cluster, input.launchType, input.capacityProviderStrategy, deps.clusters.fallbackLaunchType);
    if (input.tags?.length) deps.tags.validate(scope, input.tags);

    const record = newServiceRecord({ scope, cluster, arn, input, config, controller, deploymentConfiguration, fingerprint, now: clock.now() });
    services.set(arn, record);
    deps.tags.replace(arn, input.tags ?? []);
    if (controller === "ECS") deps.deployments.start(record, config!);
    else if (controller === "CODE_DEPLOY") deps.taskSets.add(record, config!, { value: 100, unit: "PERCENT" }, "PRIMARY", {});
    deps.targets.openDoors(record);
    deps.logger.info(`service ${name} created`, { cluster: cluster.clusterName, desiredCount: record.service.desiredCount, controller });
    deps.loop.track(arn, scope);
    return view(record, false);
  }

  /**
   * What a DAEMON service may not have, with AWS's texts: the Fargate launch type or a capacity
   * provider strategy (the cluster's default included), a desired count (it is one per instance),
   * placement strategies, more than 100 maximumPercent, or another deployment controller.
   */
  function checkDaemonRequest(cluster: Cluster, input: CreateServiceRequest, controller: string): void {
    if (controller !== "ECS") throw new InvalidParameterException(Ec2Messages.daemonController(controller));
    const target = resolveLaunchTarget(cluster, input.launchType, input.capacityProviderStrategy, deps.clusters.fallbackLaunchType);
    if (target.kind === "strategy") throw new InvalidParameterException(Ec2Messages.daemonCapacityProviderStrategy);
    if (target.launchType === "FARGATE") throw new InvalidParameterException(Messages.fargateDaemon);
    if (input.desiredCount !== undefined) throw new InvalidParameterException(Ec2Messages.daemonDesiredCount);
    if (input.placementStrategy?.length) throw new InvalidParameterException(Ec2Messages.daemonPlacementStrategy);
  }

  /** Strategies and constraints are checked when they are given, not when a task is first placed. */
  function checkPlacement(strategy: CreateServiceRequest["placementStrategy"], constraints: CreateServiceRequest["placementConstraints"]): void {
    if (strategy) compileStrategies(strategy);
    if (constraints) compileConstraints(constraints);
  }

  function checkServiceLimits(scope: Scope, cluster: Cluster, desiredCount: number | undefined): void {
    const limits = deps.quotas.limits(scope);
    const inCluster = [...lookup.region(scope).servicesInCluster(cluster.clusterName!)].filter((s) => s.service.status !== "INACTIVE").length;
    if (inCluster >= limits.servicesPerCluster) {
      throw new LimitExceededException(`The maximum number of services (${limits.servicesPerCluster}) for this cluster has been reached.`);
    }
    checkDesiredCount(scope, desiredCount ?? 0);
  }

  function checkDesiredCount(scope: Scope, desiredCount: number | undefined): void {
    if (desiredCount !== undefined && desiredCount > deps.quotas.limits(scope).tasksPerService) {
      throw new InvalidParameterException(Messages.desiredCountLimit);
    }
  }

  function updateService(scope: Scope, input: UpdateServiceRequest): Service {
    const record = lookup.requireActive(scope, input.cluster, input.service!);
    const internal = internalOf(record);
    const cluster = deps.clusters.resolveExisting(scope, input.cluster).cluster;
    const s = record.service;
    checkDesiredCount(scope, input.desiredCount);
    const daemon = s.schedulingStrategy === "DAEMON";
    if (daemon && input.desiredCount !== undefined) throw new InvalidParameterException(Ec2Messages.daemonDesiredCount);
    if (daemon && input.placementStrategy?.length) throw new InvalidParameterException(Ec2Messages.daemonPlacementStrategy);
    checkPlacement(input.placementStrategy, input.placementConstraints);
    if (internal.controller !== "ECS") checkControllerUpdate(deps.taskDefinitions, scope, record, input);
    const deploymentConfiguration = input.deploymentConfiguration
      ? normalizeDeploymentConfiguration({ ...s.deploymentConfiguration, ...input.deploymentConfiguration }, internal.controller, daemon)
      : undefined;
    const primary = primaryOf(internal);
    const newConfig = internal.controller === "ECS" && primary ? newDeploymentConfig(scope, cluster, primary.config, input) : undefined;

    // Everything validated: apply.
    if (input.desiredCount !== undefined && input.desiredCount !== s.desiredCount) {
      s.desiredCount = input.desiredCount;
      internal.steady = false;
      if (primary && !newConfig) primary.updatedAt = clock.now();
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
      deps.deployments.start(record, newConfig);
      deps.targets.openDoors(record);
    }
    deps.loop.kick(s.serviceArn!);
    return view(record, false);
  }

  /** The configuration of the deployment an update starts, if it starts one: something changed or forceNewDeployment. */
  function newDeploymentConfig(scope: Scope, cluster: Cluster, current: RevisionConfig, input: UpdateServiceRequest): RevisionConfig | undefined {
    if (!touchesConfig(input)) return undefined;
    const candidate = buildConfig(deps.taskDefinitions, deps.clusters.fallbackLaunchType, scope, cluster, updatedSource(current, input), "update", current.taskDefinitionArn);
    return input.forceNewDeployment || !sameConfig(candidate, current) ? candidate : undefined;
  }

  function deleteService(scope: Scope, clusterRef: string | undefined, serviceRef: string, force: boolean): Service {
    const record = lookup.requireActive(scope, clusterRef, serviceRef);
    // A daemon's desired count is the scheduler's, not the user's: it needs no scaling to zero first.
    if (!force && record.service.schedulingStrategy !== "DAEMON" && (record.service.desiredCount ?? 0) > 0) {
      throw new InvalidParameterException(Messages.serviceScaledAboveZero);
    }
    const internal = internalOf(record);
    record.service.desiredCount = 0;
    record.service.status = "DRAINING";
    internal.steady = false;
    const now = clock.now();
    for (const ts of internal.taskSets) {
      ts.status = "DRAINING";
      ts.updatedAt = now;
    }
    deps.taskSets.refreshViews(record);
    deps.logger.info(`service ${record.service.serviceName} deleted (draining)`, { cluster: record.clusterName });
    deps.loop.track(record.service.serviceArn!, scope);
    return view(record, false);
  }

  function describeServices(scope: Scope, clusterRef: string | undefined, refs: string[], includeTags: boolean) {
    const clusterName = deps.clusters.resolveExisting(scope, clusterRef).cluster.clusterName!;
    if (refs.length === 0) throw new InvalidParameterException(Messages.servicesEmpty);
    if (refs.length > 10) throw new InvalidParameterException(Messages.tooManyServices);
    const { found: services, failures } = describeEach(
      refs,
      (ref) => lookup.find(scope, clusterName, ref),
      (name) => Arn.service(scope, clusterName, name),
      (record) => view(record, includeTags),
    );
    return { services, failures };
  }

  function listServices(scope: Scope, input: ListServicesInput) {
    const cluster = deps.clusters.resolveExisting(scope, input.cluster).cluster;
    // Creation order: the cluster index keeps services in the order they were created.
    const { page: records, nextToken } = paginateIndex(
      lookup.region(scope).services,
      ServiceIndex.cluster(cluster.clusterName!),
      (r) =>
        r.service.status === "ACTIVE" &&
        (!input.launchType || r.service.launchType === input.launchType) &&
        (!input.schedulingStrategy || r.service.schedulingStrategy === input.schedulingStrategy),
      { maxResults: input.maxResults, nextToken: input.nextToken, kind: "services", defaultMax: 10 },
    );
    const page = records.map((r) => r.service.serviceArn!);
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  /** Services whose Service Connect configuration uses the namespace (name or ARN). */
  function listServicesByNamespace(scope: Scope, input: ListServicesByNamespaceInput) {
    const wanted = nameFromArnOrName(input.namespace);
    const state = lookup.region(scope);
    const arns = [...state.services.values()]
      .filter((r) => r.service.status === "ACTIVE")
      .filter((r) => {
        const scc = primaryOf(internalOf(r))?.config.serviceConnectConfiguration;
        if (!scc?.enabled) return false;
        const ns = scc.namespace ?? state.clusters.get(r.clusterName)?.cluster.serviceConnectDefaults?.namespace;
        return ns !== undefined && (ns === input.namespace || nameFromArnOrName(ns) === wanted);
      })
      .map((r) => r.service.serviceArn!)
      .sort();
    const { page, nextToken } = paginate(arns, { maxResults: input.maxResults, nextToken: input.nextToken, kind: "servicesByNamespace", defaultMax: 10 });
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  return { createService, updateService, deleteService, describeServices, listServices, listServicesByNamespace };
}
