import { randomInt } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { registerCoreAdminRoutes } from "./api/admin/core.js";
import { buildOperationTable, type Domain } from "./api/handlers/index.js";
import { buildServer } from "./api/server.js";
import { clusterFirst } from "./api/cluster-first.js";
import { parseConfig, type SimConfig, type SimConfigInput } from "./config.js";
import type { SimContext } from "./context.js";
import { createClock, RealClock, VirtualClock, type Clock } from "./core/clock.js";
import { EventBus } from "./core/events.js";
import { createLogger, type Logger } from "./core/logger.js";
import { SeededRandom } from "./core/random.js";
import { AccountSettingsService } from "./domain/account-settings.js";
import { ClusterService } from "./domain/clusters.js";
import { TagService } from "./domain/tags.js";
import { TaskDefinitionRegistry } from "./domain/task-definitions.js";
import { ContainerInstanceRegistry } from "./domain/container-instances/registry.js";
import { ContainerInstances, InstanceLifecycle } from "./scheduler/instances/index.js";
import { AutoScalingGroupSpecSchema, createEc2AutoScaling, type Ec2AutoScaling } from "./autoscaling-groups/index.js";
import { storeAutoScalingProviders, storeScalingInputs } from "./autoscaling-groups/store-inputs.js";
import { autoScalingQueryTarget } from "./autoscaling-groups/query-api.js";
import { registerAutoScalingGroupRoutes } from "./api/admin/autoscaling-groups.js";
import { CapacityProviderService } from "./domain/asg-capacity-providers.js";
import { createQuotaGate, LimitsEngine, parseQuotasConfig, quotasSummary } from "./quotas/index.js";
import { registerQuotaAdminRoutes } from "./api/admin/quotas.js";
import { registerEventRoutes } from "./api/admin/events.js";
import { EventHub } from "./events/hub.js";
import { SIMULATED_RUNTIME_NOTE, SimulatedRuntime } from "./runtime/simulated/simulated-runtime.js";
import type { RuntimeEvent, TaskRuntime } from "./runtime/types.js";
import { registerCapacityAdminRoutes } from "./api/admin/capacity.js";
import { registerSpotAdminRoutes } from "./api/admin/spot.js";
import { registerContainerInstanceAdminRoutes } from "./api/admin/container-instances.js";
import { registerSchedulableRoute } from "./api/admin/schedulable.js";
import { CapacityShortages, parseCapacityConfig } from "./scheduler/capacity-shortages.js";
import { parseSpotConfig, SpotInterruptions } from "./scheduler/spot/index.js";
import { TaskLifecycle } from "./scheduler/task-lifecycle.js";
import { TaskScheduler } from "./scheduler/tasks.js";
import { TIMING_PROFILES } from "./scheduler/timing.js";
import { parseServicesConfig, ServiceScheduler } from "./scheduler/services/index.js";
import { serviceOperations } from "./api/handlers/services.js";
import { LocalLoadBalancers } from "./loadbalancer/index.js";
import { Store } from "./state/store.js";
import { parseArn } from "./state/arn.js";
import type { DockerRuntime } from "./runtime/docker/index.js";
import { LogStore } from "./logs/store.js";
import { handleLogsOperation, LOGS_TARGET_PREFIX } from "./logs/operations.js";
import { registerTaskLogRoutes } from "./api/admin/task-logs.js";
import { registerTaskPortRoutes } from "./api/admin/task-ports.js";
import { ContainerLogs } from "./runtime/container-logs.js";
import type { NetworkBinding, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { ConfigError } from "./config.js";
import { isLoopbackHost, reachableAddresses } from "./core/addresses.js";
import { VERSION } from "./version.js";
import { ImageFaults } from "./scheduler/image-faults.js";
import { registerScenarioRoutes } from "./api/admin/scenario.js";
import { registerDashboardRoutes } from "./api/admin/ui.js";
import { validationError } from "./api/validation.js";
import { UnknownOperationException } from "./errors/aws-errors.js";
import { Messages } from "./errors/messages.js";
import type { OperationTable } from "./api/operation.js";
import { ScenarioRun, type ScenarioView } from "./scenario/runner.js";
import { ScenarioError } from "./scenario/parse.js";
import { limitDecisionLogger } from "./quotas/refusal-log.js";
import type { Scenario } from "./scenario/schema.js";
import { stableStringify } from "./core/stable-json.js";
import type { Scope } from "./domain/scope.js";
import { TapeRecorder } from "./record/tape.js";
import { applicationAutoScaling } from "./autoscaling/api.js";
import { AutoScaler, type ScalableServices } from "./autoscaling/scaler.js";
import { CLOUDWATCH_QUERY, CLOUDWATCH_TARGET_PREFIX, cloudWatchOperations } from "./metrics/cloudwatch-api.js";
import { registerMetricsAdminRoutes } from "./api/admin/metrics.js";
import { applyMetricSetting } from "./metrics/setting.js";
import { parseMetricsConfig } from "./metrics/config.js";
import { MetricSampler } from "./metrics/sampler.js";
import { ServiceUtilizationSource } from "./metrics/sources/service-utilization.js";
import { SqsQueueDepthSource } from "./metrics/sources/sqs-queue-depth.js";
import { registerRpcV2Cbor } from "./api/rpcv2-cbor.js";
import { SignatureVerifier, type IssuedCredentials } from "./api/signature.js";
import { createHash } from "node:crypto";
import { resolve as resolvePath } from "node:path";
import { StateDirError, StatePersistence } from "./state/persistence.js";
import { persistedEntries, persistedStamp, restoreEntries, savedStart, VOLATILE_ENTRIES, type PersistedMeta } from "./simulator-state.js";

export interface SimulatorOptions {
  /** Where log lines go (default: stderr). */
  logWrite?: (line: string) => void;
}

type RuntimeKind = "docker" | "simulated";
type DockerModule = typeof import("./runtime/docker/index.js");

/** The Docker runtime and its client library load only when Docker may be used: a simulated start never pays for them. */
const loadDocker = (): Promise<DockerModule> => import("./runtime/docker/index.js");

/** What a restart on a state dir must know before the parts are built. */
interface Restart {
  stateKey: string;
  meta?: PersistedMeta;
}

/** How long after a background change (a task transition) its state is written, at most. */
const BACKGROUND_FLUSH_MS = 50;

/** Upper bound on waiting for launch steps still running once the runtime has closed. */
const SHUTDOWN_DRAIN_MS = 30_000;

/**
 * The composition root: builds the clock, random source, store, limits, runtime, scheduler and
 * API from one configuration, and owns their lifetime.
 */
export class Simulator {
  readonly config: SimConfig;
  readonly ctx: SimContext;
  /** The limits engine behind ctx.quotas, for the admin routes and scenarios. */
  private readonly limits: LimitsEngine;
  readonly domain: Domain;
  readonly app: FastifyInstance;
  readonly seed: number;
  readonly events: EventHub;
  /** Fargate Spot interruptions: `spot.interrupt(selection)`, history, rate. */
  readonly spot: SpotInterruptions;
  /** Fargate capacity shortages: `capacity.set({FARGATE_SPOT: {...}})`. */
  readonly capacity: CapacityShortages;
  private readonly runtime: TaskRuntime;
  private readonly lifecycle: TaskLifecycle;
  /** Simulated Auto Scaling groups behind capacity providers, and ECS managed scaling. */
  readonly ec2: Ec2AutoScaling;
  /** EC2 container instances: registry, lifecycle (launch, drain, terminate) and attributes. */
  readonly instances: ContainerInstances;
  /** The service scheduler; also reachable as `domain.services`. */
  readonly services: ServiceScheduler;
  /** Local load-balancer front doors of services with loadBalancers (GET /_sim/load-balancers). */
  readonly loadBalancers?: LocalLoadBalancers;
  private endpoint?: string;
  /** Request ids of in-process calls have their own stream, so they never shift the API's. */
  private readonly harnessIds;
  private readonly wallClock?: RealClock;

  readonly logs: LogStore;
  /** Images made unpullable by a test or a scenario step. */
  readonly images = new ImageFaults();
  private readonly operations: OperationTable;
  private scenarioRun?: ScenarioRun;
  private readonly tape?: TapeRecorder;
  /** Application Auto Scaling's loop: alarms evaluated each minute, policies applied to services. */
  readonly autoscaler: AutoScaler;
  /** Polls metric sources (service utilization from the runtime, configured SQS queues). */
  private readonly sampler: MetricSampler;
  private readonly sqsSources: SqsQueueDepthSource[];
  private readonly scalingApi: ReturnType<typeof applicationAutoScaling>;
  private readonly cloudwatchApi: ReturnType<typeof cloudWatchOperations>;
  private persistence?: StatePersistence;
  private flushTimer?: NodeJS.Timeout;
  private readonly restart?: Restart;
  /** Output of containers without awslogs: shown by GET /_sim/tasks/<id>/logs, never by the Logs API. */
  readonly localLogs: LogStore;
  private readonly containerLogs: ContainerLogs;

  private constructor(config: SimConfig, opts: SimulatorOptions, runtimeKind: RuntimeKind, restart?: Restart, docker?: DockerModule) {
    this.config = config;
    if (restart) this.restart = restart;
    this.seed = restart?.meta?.seed ?? config.seed ?? randomInt(0, 2 ** 32 - 1);
    const clock: Clock = createClock(config.clock, config.clockStart);
    const logger: Logger = createLogger({
      level: config.logLevel,
      format: config.logFormat,
      now: () => clock.now(),
      ...(opts.logWrite ? { write: opts.logWrite } : {}),
    });
    const random = new SeededRandom(this.seed);
    this.harnessIds = random.fork("harness-requests");
    const bus = new EventBus();
    // Under the virtual clock, wall time also ends a registration's window, so a client that never
    // advances the clock is still answered.
    this.wallClock = clock.kind === "virtual" ? new RealClock() : undefined;
    const quotas = createQuotaGate(config.quotas ?? {}, {
      clock,
      random: random.fork("quotas"),
      bus,
      ...(this.wallClock ? { wall: this.wallClock } : {}),
    });
    this.limits = quotas;
    this.ctx = { config, clock, random, store: new Store(), bus, logger, quotas };
    bus.subscribe("limit.decision", limitDecisionLogger(logger, () => clock.now()));
    this.events = new EventHub({
      bus,
      clock,
      random: random.fork("events"),
      logger,
      config: config.events ?? {},
      ownPort: () => (this.endpoint ? Number(new URL(this.endpoint).port) : undefined),
    });
    this.capacity = new CapacityShortages({ clock, logger, random: random.fork("capacity"), config: parseCapacityConfig(config.capacity) });
    this.spot = new SpotInterruptions({
      clock,
      store: this.ctx.store,
      bus,
      logger,
      random: random.fork("spot"),
      config: parseSpotConfig(config.spot),
      stopTask: (taskArn, reason, killBy) => this.domain.tasks.stopBySystem(taskArn, "SpotInterruption", reason, { killBy }),
    });

    this.logs = new LogStore(clock);
    this.localLogs = new LogStore(clock);
    this.containerLogs = new ContainerLogs({ cloudwatch: this.logs, local: this.localLogs, autoCreateGroups: config.autoCreateLogGroups });
    const tags = new TagService(this.ctx);
    const clusters = new ClusterService(this.ctx, tags);
    const taskDefinitions = new TaskDefinitionRegistry(this.ctx, tags);
    this.runtime = this.createRuntime(runtimeKind, (e) => this.domain.tasks.handleRuntimeEvent(e), docker);
    this.lifecycle = new TaskLifecycle(this.ctx, this.runtime, TIMING_PROFILES[config.timing], this.images);
    const registry = new ContainerInstanceRegistry(this.ctx, clusters, tags);
    const instanceLifecycle = new InstanceLifecycle(this.ctx, registry, (taskArn, reason) =>
      this.domain.tasks.stopBySystem(taskArn, "TerminationNotice", reason, { killBy: this.ctx.clock.now() }),
    );
    this.instances = new ContainerInstances(registry, instanceLifecycle, clusters, tags);
    this.ec2 = createEc2AutoScaling({
      ctx: this.ctx,
      launcher: instanceLifecycle,
      inputs: storeScalingInputs(this.ctx.store),
      events: this.events,
      settings: config.ec2AutoScaling,
    });
    const tasks = new TaskScheduler(
      this.ctx,
      clusters,
      taskDefinitions,
      tags,
      this.lifecycle,
      this.capacity,
      this.instances,
      storeAutoScalingProviders(this.ctx.store),
    );
    registry.onChange((change) => {
      // Tasks waiting in PROVISIONING get their chance whenever an instance registers or changes.
      if (change.kind !== "resources") tasks.provisioning.retry();
      // An instance of a group terminated from outside (admin API, spot) is replaced by its group.
      if (change.kind === "terminated") this.ec2.groups.instanceTerminated(change.scope, change.ec2InstanceId);
      this.ec2.scaling.kick();
    });
    const servicesConfig = parseServicesConfig(config.services, config.timing);
    if (servicesConfig.loadBalancer.enabled) {
      this.loadBalancers = new LocalLoadBalancers({
        host: servicesConfig.loadBalancer.host,
        basePort: servicesConfig.loadBalancer.basePort,
        logger,
        runtimeKind: this.runtime.kind,
      });
    }
    this.services = new ServiceScheduler({
      ctx: this.ctx,
      clusters,
      taskDefinitions,
      tags,
      tasks,
      instances: this.instances,
      config: servicesConfig,
      ...(this.loadBalancers ? { loadBalancers: this.loadBalancers } : {}),
      runtimeKind: this.runtime.kind,
    });
    this.domain = {
      ctx: this.ctx,
      clusters,
      taskDefinitions,
      tags,
      settings: new AccountSettingsService(this.ctx),
      tasks,
      instances: this.instances,
      capacityProviders: new CapacityProviderService(this.ctx, tags, {
        settleMs: this.ec2.settings.capacityProviderSettleMs,
        onChange: () => this.ec2.scaling.kick(),
      }),
      services: this.services,
    };

    const issuedCredentials: IssuedCredentials = (id) => this.dockerRuntime?.issuedCredentials(id);
    this.operations = buildOperationTable(this.domain, [serviceOperations(this.services)]);
    const scalable: ScalableServices = {
      desiredCount: (scope, cluster, service) => {
        const record = this.services.find(scope, cluster, service);
        return record?.service.status === "ACTIVE" ? record.service.desiredCount : undefined;
      },
      setDesiredCount: (scope, cluster, service, desiredCount) => void this.services.updateService(scope, { cluster, service, desiredCount }),
    };
    const metricsConfig = parseMetricsConfig(config.metrics);
    this.sqsSources = metricsConfig.sqs.map((q) => new SqsQueueDepthSource(q, { account: config.accountId, region: config.region }));
    this.sampler = new MetricSampler({
      clock,
      logger,
      store: this.ctx.store,
      sources: [new ServiceUtilizationSource({ store: this.ctx.store, usage: (arn) => this.runtime.usage(arn) }), ...this.sqsSources],
    });
    this.autoscaler = new AutoScaler({
      clock,
      random: random.fork("autoscaling"),
      logger,
      store: this.ctx.store,
      services: scalable,
      intervalMs: 60_000,
      onKick: () => this.sampler.kick(),
      bus,
    });
    this.sampler.kick();
    const scaling = (this.scalingApi = applicationAutoScaling({ clock, random: random.fork("autoscaling-api"), store: this.ctx.store, services: scalable, scaler: this.autoscaler }));
    const cloudwatch = (this.cloudwatchApi = cloudWatchOperations({ clock, store: this.ctx.store, onAlarmsChanged: () => this.autoscaler.kick() }));
    if (config.record) {
      const { host: _host, port: _port, record: _record, ...recorded } = config;
      this.tape = new TapeRecorder(
        config.record,
        { version: VERSION, seed: this.seed, runtime: runtimeKind, startedAt: clock.now(), config: recorded },
        clock,
        { account: config.accountId, region: config.region },
      );
    }
    this.app = buildServer(this.ctx, {
      operations: this.operations,
      ...(this.tape ? { observer: this.tape } : {}),
      extraTargets: [
        {
          prefix: `${LOGS_TARGET_PREFIX}.`,
          handle: (operation, input, req) => handleLogsOperation(operation, input, this.logs, req.scope),
        },
        { prefix: scaling.prefix, handle: (operation, input, req) => scaling.handle(operation, input, req.scope) },
        { prefix: CLOUDWATCH_TARGET_PREFIX, handle: (operation, input, req) => cloudwatch.handle(operation, input, req.scope) },
      ],
      formTargets: [
        { ...CLOUDWATCH_QUERY, handle: (action, input, req) => cloudwatch.handle(action, input, req.scope) },
        autoScalingQueryTarget(this.ec2.groups),
      ],
      admin: (app) => {
        this.registerAdminRoutes(app, quotas);
        registerRpcV2Cbor(app, {
          services: [
            {
              name: "GraniteServiceVersion20100801",
              namespace: "com.amazonaws.cloudwatch",
              handle: (op, input, scope) => cloudwatch.handle(op, input, scope),
              queryErrorCode: CLOUDWATCH_QUERY.errorCode,
            },
          ],
          defaults: { account: config.accountId, region: config.region },
          logger,
          ...(config.verifySignatures ? { signatures: new SignatureVerifier(config.accessKeys, issuedCredentials) } : {}),
        });
      },
      precheck: clusterFirst(clusters),
      issuedCredentials,
    });
  }

  /** Every /_sim route: limits, events, logs, spot, capacity, load balancers, then the core ones. */
  private registerAdminRoutes(app: FastifyInstance, quotas: LimitsEngine): void {
    registerQuotaAdminRoutes(app, quotas);
    registerEventRoutes(app, this.events, this.ctx.logger);
    registerTaskLogRoutes(app, { logs: this.containerLogs, findTask: (id) => this.findTaskById(id) });
    registerTaskPortRoutes(app, { runtimeKind: this.runtime.kind, findTask: (id) => this.findTaskById(id) });
    registerSpotAdminRoutes(app, this.spot);
    registerContainerInstanceAdminRoutes(app, this.instances, { account: this.config.accountId, region: this.config.region });
    registerAutoScalingGroupRoutes(app, {
      groups: this.ec2.groups,
      scaling: this.ec2.scaling,
      store: this.ctx.store,
      defaults: { account: this.config.accountId, region: this.config.region },
    });
    registerSchedulableRoute(app, {
      instances: this.instances,
      clusters: this.domain.clusters,
      taskDefinitions: this.domain.taskDefinitions,
      defaults: { account: this.config.accountId, region: this.config.region },
    });
    registerCapacityAdminRoutes(app, this.capacity);
    registerDashboardRoutes(app);
    registerMetricsAdminRoutes(app, { clock: this.ctx.clock, store: this.ctx.store, defaults: { account: this.config.accountId, region: this.config.region } });
    registerScenarioRoutes(app, {
      load: (scenario) => this.loadScenario(scenario),
      view: () => this.scenarioRun?.view(),
      cancel: () => this.cancelScenario(),
    });
    app.get("/_sim/load-balancers", async () => {
      await this.loadBalancers?.ready();
      return { enabled: this.loadBalancers !== undefined, loadBalancers: this.loadBalancers?.list() ?? [] };
    });
    registerCoreAdminRoutes(app, {
      version: VERSION,
      runtime: this.runtime.kind,
      clock: this.ctx.clock,
      seed: this.seed,
      timing: this.config.timing,
      reset: () => this.reset(),
      state: () => this.state(),
      ...(this.ctx.clock instanceof VirtualClock ? { advance: (ms: number) => this.advanceClock(ms) } : {}),
    });
  }

  static async create(input: SimConfigInput = {}, opts: SimulatorOptions = {}): Promise<Simulator> {
    let config = parseConfig(input);
    if (!isLoopbackHost(config.host) && !config.adminToken && !config.allowUnauthenticatedAdmin) {
      throw new ConfigError(
        `--host ${config.host} would expose the admin API (/_sim/: reset, quotas, state) beyond this machine; ` +
          "set an admin token with ECS_SIM_ADMIN_TOKEN (or --admin-token) and send it as 'Authorization: Bearer <token>' or 'x-ecs-sim-admin-token: <token>' " +
          "(or, if something else limits who reaches the port, ECS_SIM_ALLOW_UNAUTHENTICATED_ADMIN=1)",
      );
    }
    if (config.verifySignatures && config.accessKeys.length === 0) {
      throw new ConfigError("--verify-signatures needs access keys: add accessKeys: [{accessKeyId, secretAccessKey}] to the config file");
    }
    const kind = await chooseRuntime(config);
    let persistence: StatePersistence | undefined;
    let restart: Restart | undefined;
    let saved: Map<string, unknown> | undefined;
    if (config.stateDir) {
      const dir = resolvePath(config.stateDir);
      // The parts are not built yet: entries are collected through `sim`, assigned below.
      let collect: () => Map<string, unknown> = () => new Map();
      try {
        persistence = StatePersistence.open(dir, () => collect(), { stampOf: persistedStamp, volatile: VOLATILE_ENTRIES });
      } catch (err) {
        if (err instanceof StateDirError || (err as NodeJS.ErrnoException).code) throw new ConfigError(`--state-dir: ${(err as Error).message}`);
        throw err;
      }
      saved = persistence.loaded();
      const start = saved ? savedStart(saved) : {};
      restart = { stateKey: createHash("sha256").update(dir).digest("hex").slice(0, 12), ...(start.meta ? { meta: start.meta } : {}) };
      // Virtual time goes on from where it stood; the seed is the one the state was made with.
      if (start.clock !== undefined) config = { ...config, clockStart: start.clock };
      const sim = new Simulator(config, opts, kind.kind, restart, kind.docker);
      collect = () => sim.persistedEntries();
      return sim.finishCreate(kind.warning, persistence, saved);
    }
    return new Simulator(config, opts, kind.kind, undefined, kind.docker).finishCreate(kind.warning);
  }

  private async finishCreate(warning: string | undefined, persistence?: StatePersistence, saved?: Map<string, unknown>): Promise<Simulator> {
    if (warning) this.ctx.logger.warn(warning);
    if (this.runtime.kind === "simulated") this.ctx.logger.info(SIMULATED_RUNTIME_NOTE);
    await this.dockerRuntime?.removeLeftovers();
    await Promise.all(this.sqsSources.map((source) => source.ready()));
    if (persistence) await this.attachState(persistence, saved);
    if (saved) this.ec2.resume();
    else this.ec2.createConfiguredGroups(this.config.autoScalingGroups);
    return this;
  }

  /**
   * Restores what the state dir held (resources, then running tasks and services are taken over),
   * then writes every change: before each mutating response is sent, and shortly after background
   * changes such as task transitions.
   */
  private async attachState(persistence: StatePersistence, saved: Map<string, unknown> | undefined): Promise<void> {
    this.persistence = persistence;
    if (saved && this.config.seed !== undefined && this.config.seed !== this.seed) {
      this.ctx.logger.warn(`--seed ${this.config.seed} ignored: the state in ${persistence.dir} continues seed ${this.seed}`);
    }
    if (saved) {
      restoreEntries({ store: this.ctx.store, random: this.ctx.random, clock: this.ctx.clock, quotas: this.ctx.quotas }, saved);
      await this.domain.tasks.resume();
      this.services.resume();
      // Restored alarms and schedules run on, and the sources they read are polled again.
      this.autoscaler.kick();
      const counts = this.ctx.store.allRegions().reduce((n, r) => ({ tasks: n.tasks + r.tasks.size, services: n.services + r.services.size }), { tasks: 0, services: 0 });
      this.ctx.logger.info(`state restored from ${persistence.dir}`, counts);
    }
    persistence.flush();
    this.app.addHook("onSend", async (req, _reply, payload) => {
      if (changesState(req.method, req.headers["x-amz-target"])) this.persistence?.flush();
      return payload;
    });
    this.ctx.bus.subscribe("task.changed", () => this.flushSoon());
    this.ctx.bus.subscribe("service.event", () => this.flushSoon());
    this.ctx.bus.subscribe("instance.changed", () => this.flushSoon());
    this.ctx.bus.subscribe("aws.event", () => this.flushSoon());
  }

  private flushSoon(): void {
    if (this.flushTimer || !this.persistence) return;
    // Wall time on purpose: a write-behind delay, not simulated time (the virtual clock may stand still).
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.persistence?.flush();
    }, BACKGROUND_FLUSH_MS);
    this.flushTimer.unref();
  }

  private persistedEntries(): Map<string, unknown> {
    const port = this.dockerRuntime?.listeningMetadataPort;
    return persistedEntries({
      store: this.ctx.store,
      random: this.ctx.random,
      clock: this.ctx.clock,
      quotas: this.ctx.quotas,
      meta: () => ({ seed: this.seed, ...(port ? { metadataPort: port } : {}) }),
    });
  }

  /** The facts a user needs from the startup line to reproduce this run. */
  readySummary(): string {
    const quotas = quotasSummary(parseQuotasConfig(this.config.quotas ?? {}), this.config.accountId, this.config.region);
    return `(runtime ${this.runtime.kind}, clock ${this.config.clock}, timing ${this.config.timing}, seed ${this.seed}, account ${this.config.accountId}, region ${this.config.region}; ${quotas})`;
  }

  get runtimeKind(): string {
    return this.runtime.kind;
  }

  async listen(): Promise<string> {
    await this.app.listen({ host: this.config.host, port: this.config.port });
    const address = this.app.server.address();
    const port = typeof address === "object" && address ? address.port : this.config.port;
    const host = this.config.host === "0.0.0.0" || this.config.host === "::" ? "127.0.0.1" : this.config.host;
    this.endpoint = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    if (!isLoopbackHost(this.config.host)) {
      const where = reachableAddresses(this.config.host).map((a) => `http://${a}:${port}`);
      this.ctx.logger.warn(
        `listening on ${this.config.host}:${port}, beyond this machine: reachable at ${where.join(", ") || "(no external interface found)"}. ` +
          `Anyone who reaches it can call the ECS API and run containers; the admin API (/_sim/) ${
            this.config.adminToken ? "requires the admin token" : "is open to them too (no admin token)"
          }.`,
      );
    }
    return this.endpoint;
  }

  get url(): string | undefined {
    return this.endpoint;
  }

  /** Moves the virtual clock; refused under the real clock. */
  async advanceClock(ms: number): Promise<number> {
    if (!(this.ctx.clock instanceof VirtualClock)) throw new Error("advanceClock needs the virtual clock (--clock virtual)");
    const now = await this.ctx.clock.advance(ms);
    this.persistence?.flush();
    return now;
  }

  /**
   * Builds a scenario's world and schedules its timeline from now on, replacing any scenario
   * loaded before. Start-time settings (seed, clock, timing...) cannot change in a running
   * simulator: a scenario whose `config` differs from the running one is refused.
   */
  async loadScenario(scenario: Scenario, opts: { settingsApplied?: boolean } = {}): Promise<ScenarioView> {
    const merged = parseConfig({ ...this.config, ...scenario.config }) as Record<string, unknown>;
    const running = this.config as Record<string, unknown>;
    // At start the scenario's settings were merged under the caller's own, which may override them.
    const differing = opts.settingsApplied ? [] : Object.keys(scenario.config).filter((k) => stableStringify(merged[k]) !== stableStringify(running[k]));
    if (differing.length > 0) {
      throw new ScenarioError(
        `scenario "${scenario.name}" sets ${differing.join(", ")}, which only apply at start: start the simulator with --scenario (or startSimulator({ scenario })) to use them`,
      );
    }
    this.cancelScenario();
    this.tape?.scenario(scenario);
    this.scenarioRun = await ScenarioRun.start(
      {
        clock: this.ctx.clock,
        logger: this.ctx.logger,
        defaults: { account: this.config.accountId, region: this.config.region },
        invoke: (operation, input, scope, service) => (service && service !== "ecs" ? this.invokeScaling(service, operation, input, scope) : this.invoke(operation, input, scope)),
        setMetric: (setting, scope) => {
          applyMetricSetting(this.ctx.store, this.ctx.clock, scope, setting);
          this.autoscaler.kick();
        },
        interruptSpot: (selection) => this.spot.interrupt(selection),
        setCapacityShortage: (patch) => this.capacity.set(patch),
        putQuotas: (patch) => this.limits.putQuotas(patch),
        chaosRule: (operation) => this.limits.currentConfig().chaos[operation],
        blockImage: (image) => this.images.block(image),
        unblockImage: (image) => this.images.unblock(image),
        createAutoScalingGroup: (spec, scope) => this.ec2.groups.create(scope, AutoScalingGroupSpecSchema.parse(spec)),
        launchInstances: (req, scope) => ({
          ec2InstanceIds: this.instances.launchRequest(scope, req, "admin").map((r) => r.instance.ec2InstanceId),
        }),
        drainInstances: (sel, scope) => {
          const chosen = this.instances.select(scope, sel);
          for (const r of chosen) this.instances.lifecycle.drain(scope, r.instance.ec2InstanceId!);
          return { drained: chosen.map((r) => r.instance.ec2InstanceId) };
        },
        terminateInstances: (sel, scope, spotNotice) => {
          const chosen = this.instances.select(scope, sel);
          for (const r of chosen) this.instances.lifecycle.terminate(scope, r.instance.ec2InstanceId!, { spotNotice });
          return { terminated: chosen.map((r) => r.instance.ec2InstanceId) };
        },
      },
      scenario,
    );
    return this.scenarioRun.view();
  }

  /** Stops the loaded scenario's timeline and ends the faults it still holds. */
  cancelScenario(): void {
    this.scenarioRun?.cancel();
    this.scenarioRun = undefined;
  }

  get scenario(): ScenarioView | undefined {
    return this.scenarioRun?.view();
  }

  /**
   * Runs one ECS operation in-process with the API's own validation and handlers, as a harness
   * does when it builds a world: no HTTP, and no rate tokens spent.
   */
  async invoke(operation: string, input: Record<string, unknown>, scope: Scope = { account: this.config.accountId, region: this.config.region }): Promise<unknown> {
    const op = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (!op) throw new UnknownOperationException(Messages.unknownOperation(operation));
    const parsed = op.schema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, input);
    // Read answers may share nested values with the store (the wire encodes them at once); an
    // in-process caller gets its own copy, which it may keep or change.
    return structuredClone(await op.handle(parsed.data, { scope, requestId: this.harnessIds.uuid(), operation }));
  }

  /** One Application Auto Scaling or CloudWatch operation in-process, as the API runs it. */
  async invokeScaling(service: "application-autoscaling" | "cloudwatch", operation: string, input: Record<string, unknown>, scope: Scope = { account: this.config.accountId, region: this.config.region }): Promise<unknown> {
    const api = service === "cloudwatch" ? this.cloudwatchApi : this.scalingApi;
    return structuredClone(await api.handle(operation, input, scope));
  }

  /** As just started (README: POST /_sim/reset): a clean simulator for the next test. */
  async reset(): Promise<void> {
    this.cancelScenario();
    this.images.clear();
    this.services.dispose();
    await this.loadBalancers?.closeAll();
    this.instances.lifecycle.dispose();
    this.ec2.reset();
    this.domain.tasks.provisioning.dispose();
    this.lifecycle.dispose();
    const arns = this.ctx.store.allRegions().flatMap((r) => [...r.tasks.keys()]);
    await Promise.all(arns.map((arn) => this.runtime.remove(arn)));
    this.ctx.store.reset();
    this.logs.clear();
    this.localLogs.clear();
    this.containerLogs.clear();
    this.ctx.quotas.reset();
    this.spot.reset();
    this.capacity.reset();
    this.events.reset();
    // Launches in flight when the reset began may have armed timers while it awaited the runtime.
    if (this.ctx.clock instanceof VirtualClock || this.ctx.clock instanceof RealClock) this.ctx.clock.clearAll();
    this.autoscaler.stop();
    this.ec2.createConfiguredGroups(this.config.autoScalingGroups);
    this.sampler.restart();
    this.persistence?.flush();
    this.ctx.logger.info("state reset");
  }

  state(): unknown {
    return {
      regions: this.ctx.store.allRegions().map((r) => ({
        account: r.account,
        region: r.region,
        clusters: [...r.clusters.values()].map((c) => c.cluster),
        taskDefinitions: [...r.families.values()].flatMap((f) => [...f.revisions.values()].map((x) => x.definition)),
        tasks: [...r.tasks.values()].map((t) => t.task),
        services: [...r.services.values()].map((s) => s.service),
        containerInstances: [...r.containerInstances.values()].map((i) => i.instance),
        tags: Object.fromEntries(r.tags),
      })),
    };
  }

  /**
   * Stops admitting (no service or spot action, no new request, no launch step), lets requests and
   * launches in flight finish (bounded), then removes everything the runtime started.
   */
  async close(): Promise<void> {
    this.autoscaler.stop();
    this.sampler.close();
    for (const s of this.sqsSources) s.close();
    this.services.close();
    this.spot.close();
    this.instances.lifecycle.dispose();
    this.ec2.close();
    this.domain.tasks.provisioning.close();
    this.lifecycle.beginShutdown();
    await this.loadBalancers?.closeAll();
    this.events.close();
    await this.app.close();
    // The state is written before the runtime closes: launches it cuts short start over after a restart.
    clearTimeout(this.flushTimer);
    this.persistence?.close();
    this.persistence = undefined;
    await this.runtime.close();
    await this.lifecycle.drainLaunches(SHUTDOWN_DRAIN_MS);
    this.lifecycle.dispose();
    if (this.ctx.clock instanceof RealClock) this.ctx.clock.clearAll();
    this.tape?.close();
    this.wallClock?.clearAll();
  }

  /** The live task by ARN, for the Docker runtime's metadata endpoint. */
  private lookupTask(arn: string): Task | undefined {
    const parsed = parseArn(arn);
    if (!parsed) return undefined;
    return this.ctx.store.region(parsed.account, parsed.region).tasks.get(arn)?.task;
  }

  private findTaskById(
    id: string,
  ): { task: Task; clusterName: string; definition?: TaskDefinition; hostBindings?: Record<string, NetworkBinding[]> } | undefined {
    for (const region of this.ctx.store.allRegions()) {
      for (const record of region.tasks.values()) {
        if (record.task.taskArn!.endsWith(`/${id}`) || record.task.taskArn === id) {
          const found = this.domain.taskDefinitions.find({ account: region.account, region: region.region }, record.task.taskDefinitionArn!);
          return {
            task: record.task,
            clusterName: record.clusterName,
            ...(found ? { definition: found.record.definition } : {}),
            ...(record.hostBindings ? { hostBindings: record.hostBindings } : {}),
          };
        }
      }
    }
    return undefined;
  }

  /** The Docker runtime when that is the one in use. */
  private get dockerRuntime(): DockerRuntime | undefined {
    return this.runtime.kind === "docker" ? (this.runtime as DockerRuntime) : undefined;
  }

  private createRuntime(kind: RuntimeKind, listener: (e: RuntimeEvent) => void, docker?: DockerModule): TaskRuntime {
    if (kind === "docker" && docker) {
      return new docker.DockerRuntime({
        clock: this.ctx.clock,
        logger: this.ctx.logger,
        listener,
        config: this.config.docker ?? {},
        instanceId: docker.newInstanceId(this.ctx.random.fork("instance").hex(8)),
        simulatorEndpoint: () => this.endpoint ?? `http://127.0.0.1:${this.config.port}`,
        lookupTask: (arn) => this.lookupTask(arn),
        logStore: this.logs,
        ...(this.restart ? { stateKey: this.restart.stateKey } : {}),
        ...(this.restart?.meta?.metadataPort ? { preferredMetadataPort: this.restart.meta.metadataPort } : {}),
        localLogStore: this.localLogs,
        autoCreateLogGroups: this.config.autoCreateLogGroups,
      });
    }
    return new SimulatedRuntime({
      clock: this.ctx.clock,
      random: this.ctx.random,
      listener,
      rules: this.config.simulated.rules,
      defaults: { onSigterm: this.config.simulated.onSigterm, sigtermDelayMs: this.config.simulated.sigtermDelayMs },
      logs: this.containerLogs,
      dependencyTimeoutMs: this.config.simulated.dependencyTimeoutMs,
    });
  }
}

/**
 * Whether a request may change persisted state: reads (Describe/List/Get operations, GET routes)
 * cannot, and the Logs API's data is not persisted.
 */
function changesState(method: string, target: string | string[] | undefined): boolean {
  if (method === "GET" || method === "HEAD") return false;
  if (typeof target !== "string") return true;
  if (target.startsWith(LOGS_TARGET_PREFIX)) return false;
  return !/\.(Describe|List|Get)[A-Z]/.test(target);
}

/**
 * `auto` runs containers when a Docker engine answers (DOCKER_HOST or the default socket) and
 * falls back to the simulated runtime with a warning; `docker` insists on an engine.
 */
async function chooseRuntime(config: SimConfig): Promise<{ kind: RuntimeKind; warning?: string; docker?: DockerModule }> {
  if (config.runtime === "simulated") return { kind: "simulated" };
  const docker = await loadDocker();
  if (await docker.dockerAvailable()) return { kind: "docker", docker };
  if (config.runtime === "docker") {
    throw new ConfigError("runtime docker was asked for, but no Docker engine answers (check DOCKER_HOST or /var/run/docker.sock)");
  }
  return {
    kind: "simulated",
    warning: "no Docker engine answers: tasks run in the simulated runtime (no containers). Start Docker or pass --runtime simulated to silence this.",
  };
}
