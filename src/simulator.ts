import { randomInt } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { registerCoreAdminRoutes } from "./api/admin/core.js";
import { buildOperationTable, type Domain } from "./api/handlers/index.js";
import { buildServer } from "./api/server.js";
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
import { createQuotaGate, LimitsEngine, parseQuotasConfig, quotasSummary } from "./quotas/index.js";
import type { QuotaGate } from "./quotas/types.js";
import { registerQuotaAdminRoutes } from "./api/admin/quotas.js";
import { registerEventRoutes } from "./api/admin/events.js";
import { EventHub } from "./events/hub.js";
import { SimulatedRuntime } from "./runtime/simulated/simulated-runtime.js";
import type { RuntimeEvent, TaskRuntime } from "./runtime/types.js";
import { ALWAYS_AVAILABLE } from "./scheduler/capacity.js";
import { TaskLifecycle } from "./scheduler/task-lifecycle.js";
import { TaskScheduler } from "./scheduler/tasks.js";
import { TIMING_PROFILES } from "./scheduler/timing.js";
import { Store } from "./state/store.js";
import { VERSION } from "./version.js";

export interface SimulatorOptions {
  /** Where log lines go (default: stderr). */
  logWrite?: (line: string) => void;
}

/**
 * The composition root: builds the clock, random source, store, limits, runtime, scheduler and
 * API from one configuration, and owns their lifetime.
 */
export class Simulator {
  readonly config: SimConfig;
  readonly ctx: SimContext;
  readonly domain: Domain;
  readonly app: FastifyInstance;
  readonly seed: number;
  readonly events: EventHub;
  private runtime!: TaskRuntime;
  private lifecycle!: TaskLifecycle;
  private endpoint?: string;

  private constructor(config: SimConfig, opts: SimulatorOptions) {
    this.config = config;
    this.seed = config.seed ?? randomInt(0, 2 ** 32 - 1);
    const clock: Clock = createClock(config.clock, config.clockStart);
    const logger: Logger = createLogger({
      level: config.logLevel,
      format: config.logFormat,
      now: () => clock.now(),
      ...(opts.logWrite ? { write: opts.logWrite } : {}),
    });
    const random = new SeededRandom(this.seed);
    const bus = new EventBus();
    const quotas: QuotaGate = createQuotaGate(config.quotas ?? {}, { clock, random: random.fork("quotas"), bus });
    this.ctx = { config, clock, random, store: new Store(), bus, logger, quotas };
    this.events = new EventHub({ bus, clock, random: random.fork("events"), logger, config: config.events ?? {} });

    const tags = new TagService(this.ctx);
    const clusters = new ClusterService(this.ctx, tags);
    const taskDefinitions = new TaskDefinitionRegistry(this.ctx, tags);
    this.runtime = this.createRuntime((e) => this.domain.tasks.handleRuntimeEvent(e));
    this.lifecycle = new TaskLifecycle(this.ctx, this.runtime, TIMING_PROFILES[config.timing]);
    const tasks = new TaskScheduler(this.ctx, clusters, taskDefinitions, tags, this.lifecycle, ALWAYS_AVAILABLE);
    this.domain = { ctx: this.ctx, clusters, taskDefinitions, tags, settings: new AccountSettingsService(this.ctx), tasks };

    this.app = buildServer(this.ctx, {
      operations: buildOperationTable(this.domain),
      admin: (app) => {
        if (quotas instanceof LimitsEngine) registerQuotaAdminRoutes(app, quotas);
        registerEventRoutes(app, this.events);
        registerCoreAdminRoutes(app, {
          version: VERSION,
          runtime: this.runtime.kind,
          clock: this.ctx.clock,
          seed: this.seed,
          timing: config.timing,
          reset: () => this.reset(),
          state: () => this.state(),
          ...(this.ctx.clock instanceof VirtualClock ? { advance: (ms: number) => this.advanceClock(ms) } : {}),
        });
      },
    });
  }

  static async create(input: SimConfigInput = {}, opts: SimulatorOptions = {}): Promise<Simulator> {
    const config = parseConfig(input);
    return new Simulator(config, opts);
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
    return this.endpoint;
  }

  get url(): string | undefined {
    return this.endpoint;
  }

  /** Moves the virtual clock; refused under the real clock. */
  async advanceClock(ms: number): Promise<number> {
    if (!(this.ctx.clock instanceof VirtualClock)) throw new Error("advanceClock needs the virtual clock (--clock virtual)");
    return this.ctx.clock.advance(ms);
  }

  /** Wipes every resource, reservation and timer: a clean simulator for the next test. */
  async reset(): Promise<void> {
    this.lifecycle.dispose();
    await this.runtime.close();
    this.ctx.store.reset();
    this.ctx.quotas.reset();
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
        tags: Object.fromEntries(r.tags),
      })),
    };
  }

  async close(): Promise<void> {
    this.lifecycle.dispose();
    this.events.close();
    await this.app.close();
    await this.runtime.close();
    if (this.ctx.clock instanceof RealClock) this.ctx.clock.clearAll();
  }

  private createRuntime(listener: (e: RuntimeEvent) => void): TaskRuntime {
    return new SimulatedRuntime({
      clock: this.ctx.clock,
      random: this.ctx.random,
      listener,
      rules: this.config.simulated.rules,
      defaults: { onSigterm: this.config.simulated.onSigterm, sigtermDelayMs: this.config.simulated.sigtermDelayMs },
    });
  }
}
