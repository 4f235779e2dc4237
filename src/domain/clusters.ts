import type {
  CapacityProviderStrategyItem,
  Cluster,
  ClusterConfiguration,
  ClusterSetting,
  ClusterServiceConnectDefaultsRequest,
  KeyValuePair,
  Tag,
} from "@aws-sdk/client-ecs";
import type { SimContext } from "../context.js";
import {
  ClusterContainsServicesException,
  ClusterContainsContainerInstancesException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  InvalidParameterException,
  LimitExceededException,
  ResourceInUseException,
} from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { Arn, nameFromArnOrName } from "../state/arn.js";
import { InstanceIndex, TaskIndex, type ClusterRecord, type RegionState } from "../state/store.js";
import { checkStrategyMix, isFargateProvider, normalizeStrategy } from "./capacity-providers.js";
import { describeEach } from "./describe-each.js";
import { DEFAULT_CLUSTER, type Scope } from "./scope.js";
import type { TagService } from "./tags.js";

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const PENDING_STATES = new Set(["PROVISIONING", "PENDING", "ACTIVATING"]);

export interface CreateClusterInput {
  clusterName?: string;
  tags?: Tag[];
  settings?: ClusterSetting[];
  configuration?: ClusterConfiguration;
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: ClusterServiceConnectDefaultsRequest;
}

export type ClusterInclude = "ATTACHMENTS" | "CONFIGURATIONS" | "SETTINGS" | "STATISTICS" | "TAGS";

export class ClusterService {
  constructor(
    private readonly ctx: SimContext,
    private readonly tags: TagService,
  ) {}

  private state(scope: Scope): RegionState {
    return this.ctx.store.region(scope.account, scope.region);
  }

  /** What a launch without launch type or strategy uses on a cluster without a default strategy. */
  get fallbackLaunchType(): "EC2" | "FARGATE" {
    return this.ctx.config.defaultLaunchType ?? "EC2";
  }

  create(scope: Scope, input: CreateClusterInput): Cluster {
    const name = input.clusterName ?? DEFAULT_CLUSTER;
    if (!CLUSTER_NAME.test(name)) throw new InvalidParameterException(Messages.clusterNameInvalid);
    const state = this.state(scope);
    const existing = state.clusters.get(name);
    if (existing && existing.cluster.status === "ACTIVE") return this.view(scope, existing, ["SETTINGS", "CONFIGURATIONS", "TAGS"]);
    const limit = this.ctx.quotas.limits(scope).clustersPerAccount;
    const active = [...state.clusters.values()].filter((c) => c.cluster.status === "ACTIVE").length;
    if (active >= limit) throw new LimitExceededException(`The maximum number of clusters (${limit}) has been reached.`);
    if (input.tags) this.tags.validate(scope, input.tags);
    const providers = input.capacityProviders ?? [];
    const strategy = normalizeStrategy(input.defaultCapacityProviderStrategy ?? []);
    this.checkStrategyProviders(scope, name, providers, strategy);
    const arn = Arn.cluster(scope, name);
    const record: ClusterRecord = {
      cluster: {
        clusterArn: arn,
        clusterName: name,
        status: "ACTIVE",
        settings: input.settings?.length ? input.settings : [{ name: "containerInsights", value: "disabled" }],
        capacityProviders: providers,
        defaultCapacityProviderStrategy: strategy,
        ...(input.configuration ? { configuration: input.configuration } : {}),
        ...(input.serviceConnectDefaults?.namespace
          ? { serviceConnectDefaults: { namespace: input.serviceConnectDefaults.namespace } }
          : {}),
        attachments: [],
      },
    };
    state.clusters.set(name, record);
    this.tags.replace(arn, input.tags ?? []);
    this.ctx.logger.info(`cluster ${name} created`, { account: scope.account, region: scope.region });
    return this.view(scope, record, ["SETTINGS", "CONFIGURATIONS", "TAGS"]);
  }

  /**
   * Like resolve, but never creates `default`: for calls that only read or change what exists,
   * so that one refused (a StopTask of an unknown task) leaves nothing behind.
   */
  resolveExisting(scope: Scope, nameOrArn: string | undefined): ClusterRecord {
    return this.resolve(scope, nameOrArn === undefined || nameOrArn === "" ? DEFAULT_CLUSTER : nameOrArn);
  }

  /**
   * Resolves a cluster name or ARN. An omitted cluster means `default`, created on first use
   * only with `createDefaultCluster` (otherwise it must exist, as on AWS).
   */
  resolve(scope: Scope, nameOrArn: string | undefined): ClusterRecord {
    const state = this.state(scope);
    if (nameOrArn === undefined || nameOrArn === "") {
      const existing = state.clusters.get(DEFAULT_CLUSTER);
      if (existing && existing.cluster.status === "ACTIVE") return existing;
      if (!this.ctx.config.createDefaultCluster) throw new ClusterNotFoundException(Messages.clusterNotFound);
      this.create(scope, { clusterName: DEFAULT_CLUSTER });
      return state.clusters.get(DEFAULT_CLUSTER)!;
    }
    const record = state.clusters.get(nameFromArnOrName(nameOrArn));
    if (!record || record.cluster.status !== "ACTIVE") throw new ClusterNotFoundException(Messages.clusterNotFound);
    if (nameOrArn.startsWith("arn:") && nameOrArn !== record.cluster.clusterArn) {
      throw new ClusterNotFoundException(Messages.clusterNotFound);
    }
    return record;
  }

  describe(scope: Scope, names: string[] | undefined, include: ClusterInclude[] = []) {
    const state = this.state(scope);
    const wanted = names && names.length > 0 ? names : [DEFAULT_CLUSTER];
    const { found: clusters, failures } = describeEach(
      wanted,
      (n) => state.clusters.get(nameFromArnOrName(n)),
      (n) => Arn.cluster(scope, n),
      (record) => this.view(scope, record, include),
    );
    return { clusters, failures };
  }

  listArns(scope: Scope): string[] {
    return [...this.state(scope).clusters.values()]
      .filter((c) => c.cluster.status === "ACTIVE")
      .map((c) => c.cluster.clusterArn!)
      .sort();
  }

  update(
    scope: Scope,
    name: string,
    patch: { settings?: ClusterSetting[]; configuration?: ClusterConfiguration; serviceConnectDefaults?: ClusterServiceConnectDefaultsRequest },
  ): Cluster {
    const record = this.resolve(scope, name);
    if (patch.settings) record.cluster.settings = mergeSettings(record.cluster.settings ?? [], patch.settings);
    if (patch.configuration) record.cluster.configuration = patch.configuration;
    if (patch.serviceConnectDefaults?.namespace) {
      record.cluster.serviceConnectDefaults = { namespace: patch.serviceConnectDefaults.namespace };
    }
    return this.view(scope, record, ["SETTINGS", "CONFIGURATIONS", "TAGS"]);
  }

  delete(scope: Scope, name: string): Cluster {
    const record = this.resolve(scope, name);
    const state = this.state(scope);
    const clusterName = record.cluster.clusterName!;
    const liveServices = [...state.servicesInCluster(clusterName)].some((s) => s.service.status !== "INACTIVE");
    if (liveServices) throw new ClusterContainsServicesException(Messages.clusterContainsServices);
    if (registeredInstances(state, clusterName) > 0) {
      throw new ClusterContainsContainerInstancesException(Messages.clusterContainsContainerInstances);
    }
    const liveTasks = state.tasks.count(TaskIndex.cluster(clusterName)) > state.tasks.count(TaskIndex.last(clusterName, "STOPPED"));
    if (liveTasks) throw new ClusterContainsTasksException(Messages.clusterContainsTasks);
    record.cluster.status = "INACTIVE";
    this.ctx.logger.info(`cluster ${clusterName} deleted`);
    return this.view(scope, record, ["SETTINGS", "CONFIGURATIONS", "TAGS"]);
  }

  putCapacityProviders(
    scope: Scope,
    name: string,
    providers: string[],
    strategy: CapacityProviderStrategyItem[],
  ): Cluster {
    const record = this.resolve(scope, name);
    const normalized = normalizeStrategy(strategy);
    this.checkStrategyProviders(scope, record.cluster.clusterName!, providers, normalized);
    const state = this.state(scope);
    const removed = (record.cluster.capacityProviders ?? []).filter((p) => !providers.includes(p));
    for (const provider of removed) {
      const inUse =
        [...state.tasks.members(TaskIndex.capacityProvider(record.cluster.clusterName!, provider))].some((t) => t.task.lastStatus !== "STOPPED") ||
        [...state.servicesInCluster(record.cluster.clusterName!)].some(
          (s) => s.service.status !== "INACTIVE" && (s.service.capacityProviderStrategy ?? []).some((i) => i.capacityProvider === provider),
        );
      if (inUse) throw new ResourceInUseException(Messages.capacityProviderInUse);
    }
    record.cluster.capacityProviders = [...providers];
    record.cluster.defaultCapacityProviderStrategy = normalized;
    return this.view(scope, record, ["SETTINGS", "CONFIGURATIONS", "TAGS"]);
  }

  /**
   * Providers must be FARGATE, FARGATE_SPOT or an ACTIVE Auto Scaling group provider that no other
   * cluster uses; the strategy may name only associated providers, and not both kinds at once.
   */
  private checkStrategyProviders(scope: Scope, clusterName: string, providers: string[], strategy: CapacityProviderStrategyItem[]): void {
    const state = this.state(scope);
    for (const p of providers) {
      if (isFargateProvider(p)) continue;
      const known = state.capacityProviders.get(p);
      if (!known) throw new InvalidParameterException(Messages.capacityProviderUnknown(p));
      if (known.provider.status !== "ACTIVE") throw new InvalidParameterException(Messages.capacityProviderNotActive(p));
      const other = [...state.clusters.values()].find(
        (c) => c.cluster.status === "ACTIVE" && c.cluster.clusterName !== clusterName && (c.cluster.capacityProviders ?? []).includes(p),
      );
      if (other) throw new InvalidParameterException(Messages.capacityProviderOtherCluster(p, other.cluster.clusterName!));
    }
    for (const item of strategy) {
      if (!providers.includes(item.capacityProvider!)) {
        throw new InvalidParameterException(Messages.capacityProviderNotAssociated);
      }
    }
    checkStrategyMix(strategy);
  }

  /** The cluster as DescribeClusters shows it, with live counts. */
  view(scope: Scope, record: ClusterRecord, include: ClusterInclude[]): Cluster {
    const state = this.state(scope);
    const name = record.cluster.clusterName!;
    const running = state.tasks.count(TaskIndex.last(name, "RUNNING"));
    let pending = 0;
    for (const status of PENDING_STATES) pending += state.tasks.count(TaskIndex.last(name, status));
    let activeServices = 0;
    let drainingServices = 0;
    for (const s of state.servicesInCluster(name)) {
      if (s.service.status === "ACTIVE") activeServices++;
      else if (s.service.status === "DRAINING") drainingServices++;
    }
    const c = record.cluster;
    const view: Cluster = {
      clusterArn: c.clusterArn,
      clusterName: c.clusterName,
      status: c.status,
      registeredContainerInstancesCount: registeredInstances(state, name),
      runningTasksCount: running,
      pendingTasksCount: pending,
      activeServicesCount: activeServices,
      statistics: [],
      tags: [],
      capacityProviders: c.capacityProviders ?? [],
      defaultCapacityProviderStrategy: c.defaultCapacityProviderStrategy ?? [],
    };
    if (include.includes("STATISTICS")) {
      view.statistics = statistics(running, pending, activeServices, drainingServices);
    }
    if (include.includes("TAGS")) view.tags = this.tags.get(c.clusterArn!);
    if (include.includes("SETTINGS")) view.settings = c.settings ?? [];
    if (include.includes("CONFIGURATIONS") && c.configuration) view.configuration = c.configuration;
    if (include.includes("ATTACHMENTS")) {
      view.attachments = c.attachments ?? [];
      view.attachmentsStatus = "UPDATE_COMPLETE";
    }
    if (c.serviceConnectDefaults) view.serviceConnectDefaults = c.serviceConnectDefaults;
    return view;
  }
}

function mergeSettings(current: ClusterSetting[], patch: ClusterSetting[]): ClusterSetting[] {
  const byName = new Map(current.map((s) => [s.name, s]));
  for (const s of patch) byName.set(s.name, s);
  return [...byName.values()];
}

function statistics(running: number, pending: number, activeServices: number, drainingServices: number): KeyValuePair[] {
  // Every task and service here is Fargate-style; EC2 counters exist but stay at zero.
  return [
    { name: "runningEC2TasksCount", value: "0" },
    { name: "runningFargateTasksCount", value: String(running) },
    { name: "pendingEC2TasksCount", value: "0" },
    { name: "pendingFargateTasksCount", value: String(pending) },
    { name: "runningExternalTasksCount", value: "0" },
    { name: "pendingExternalTasksCount", value: "0" },
    { name: "activeEC2ServiceCount", value: "0" },
    { name: "activeFargateServiceCount", value: String(activeServices) },
    { name: "drainingEC2ServiceCount", value: "0" },
    { name: "drainingFargateServiceCount", value: String(drainingServices) },
    { name: "activeExternalServiceCount", value: "0" },
    { name: "drainingExternalServiceCount", value: "0" },
  ];
}

/** ACTIVE and DRAINING instances: what DescribeClusters counts and what keeps a cluster from deletion. */
function registeredInstances(state: RegionState, cluster: string): number {
  return (
    state.containerInstances.count(InstanceIndex.status(cluster, "ACTIVE")) +
    state.containerInstances.count(InstanceIndex.status(cluster, "DRAINING"))
  );
}
