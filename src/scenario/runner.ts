import type { Clock, TimerHandle } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Scope } from "../domain/scope.js";
import { ScenarioError } from "./parse.js";
import type { InstanceRequest, InstanceSelector } from "../domain/container-instances/spec-schema.js";
import type { MetricSetting } from "../metrics/setting.js";
import { ACTIONS, type ActionName, type Scenario, type ScenarioCall, type ScenarioStep } from "./schema.js";

/** What a scenario may do to the simulator: the same levers the admin API pulls. */
export interface ScenarioHost {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where resources go when a scenario names no account or region. */
  readonly defaults: Scope;
  /** Runs one operation of ECS (or Application Auto Scaling, CloudWatch) with the API's own validation and handlers (no rate tokens spent). */
  invoke(operation: string, input: Record<string, unknown>, scope: Scope, service?: ScenarioCall["service"]): Promise<unknown>;
  /** Sets a metric's value or series as PUT /_sim/metrics does. */
  setMetric(setting: MetricSetting, scope: Scope): void;
  interruptSpot(selection: object): unknown;
  setCapacityShortage(patch: object): unknown;
  /** Applies a quotas patch as PUT /_sim/quotas does; throws when the profile enforces none. */
  putQuotas(patch: Record<string, unknown>): unknown;
  /** The chaos rule in force for an operation, to put back when a timed fault ends. */
  chaosRule(operation: string): { throttleProbability: number; serverErrorProbability: number } | undefined;
  blockImage(image: string): void;
  /** Creates a simulated Auto Scaling group; absent where the simulator has no EC2 instances. */
  createAutoScalingGroup?(spec: Record<string, unknown>, scope: Scope): unknown;
  unblockImage(image: string): void;
  /** Simulated EC2 instances: start some, drain or terminate the ones a selector names. */
  launchInstances(request: InstanceRequest, scope: Scope): unknown;
  drainInstances(selector: InstanceSelector, scope: Scope): unknown;
  terminateInstances(selector: InstanceSelector, scope: Scope, spotNotice: boolean): unknown;
}

export type StepStatus = "scheduled" | "fired" | "active" | "ended" | "failed" | "cancelled";

export interface StepView {
  index: number;
  name: string;
  action: ActionName;
  atMs: number;
  forMs?: number;
  dueAt: string;
  status: StepStatus;
  firedAt?: string;
  endedAt?: string;
  result?: unknown;
  error?: string;
}

export interface ScenarioView {
  name: string;
  description?: string;
  loadedAt: string;
  world: { created: Record<string, number> };
  steps: StepView[];
}

/**
 * Builds a scenario's world, then fires its timeline on the simulator's clock. Steps are
 * scheduled relative to the moment the scenario was loaded; under the virtual clock they fire
 * exactly when a test advances past them, so the same seed and the same advances reproduce a run.
 */
export class ScenarioRun {
  private readonly steps: StepView[];
  private readonly timers = new Set<TimerHandle>();
  private readonly loadedAt: number;
  private readonly created: Record<string, number> = {};
  /** Answers of calls that have an `id`, for `${id.Field}` in later inputs. */
  private readonly answers = new Map<string, unknown>();

  private constructor(
    private readonly host: ScenarioHost,
    private readonly scenario: Scenario,
  ) {
    this.loadedAt = host.clock.now();
    this.steps = scenario.timeline.map((step, index) => ({
      index,
      name: step.name ?? describeStep(step),
      action: actionOf(step),
      atMs: step.at,
      ...(step.for !== undefined ? { forMs: step.for } : {}),
      dueAt: new Date(this.loadedAt + step.at).toISOString(),
      status: "scheduled",
    }));
  }

  /** Creates the world (failing on the first refused call, named) and schedules the timeline. */
  static async start(host: ScenarioHost, scenario: Scenario): Promise<ScenarioRun> {
    const run = new ScenarioRun(host, scenario);
    await run.buildWorld();
    run.schedule();
    host.logger.info(`scenario "${scenario.name}" loaded: ${run.steps.length} timeline steps`);
    return run;
  }

  view(): ScenarioView {
    return {
      name: this.scenario.name,
      ...(this.scenario.description ? { description: this.scenario.description } : {}),
      loadedAt: new Date(this.loadedAt).toISOString(),
      world: { created: { ...this.created } },
      steps: this.steps.map((s) => ({ ...s })),
    };
  }

  /** Cancels what has not fired yet and ends faults still in force. */
  cancel(): void {
    for (const t of this.timers) this.host.clock.clearTimeout(t);
    this.timers.clear();
    for (const view of this.steps) {
      if (view.status === "scheduled") view.status = "cancelled";
      if (view.status === "active") this.end(this.scenario.timeline[view.index]!, view);
    }
  }

  private async buildWorld(): Promise<void> {
    const w = this.scenario.world;
    for (const [i, input] of w.clusters.entries()) {
      await this.call({ service: "ecs", operation: "CreateCluster", input }, `world.clusters[${i}]`);
      this.created.clusters = (this.created.clusters ?? 0) + 1;
    }
    for (const [i, request] of w.containerInstances.entries()) {
      try {
        this.host.launchInstances(request, this.scopeOf(request));
      } catch (err) {
        throw new ScenarioError(`world.containerInstances[${i}]: ${(err as Error).message}`);
      }
      this.created.containerInstances = (this.created.containerInstances ?? 0) + request.count;
    }
    for (const [i, spec] of w.autoScalingGroups.entries()) {
      const where = `world.autoScalingGroups[${i}]`;
      if (!this.host.createAutoScalingGroup) throw new ScenarioError(`${where}: this simulator has no EC2 Auto Scaling groups`);
      try {
        this.host.createAutoScalingGroup(spec, this.scopeOf(spec as { account?: string; region?: string }));
      } catch (err) {
        throw new ScenarioError(`${where}: ${(err as Error).message}`);
      }
      this.created.autoScalingGroups = (this.created.autoScalingGroups ?? 0) + 1;
    }
    const groups: [string, string, Record<string, unknown>[]][] = [
      ["taskDefinitions", "RegisterTaskDefinition", w.taskDefinitions],
      ["services", "CreateService", w.services],
      ["tasks", "RunTask", w.tasks],
    ];
    for (const [key, operation, inputs] of groups) {
      for (const [i, input] of inputs.entries()) {
        await this.call({ service: "ecs", operation, input }, `world.${key}[${i}]`);
        this.created[key] = (this.created[key] ?? 0) + 1;
      }
    }
    for (const [i, call] of w.calls.entries()) {
      await this.call(call, `world.calls[${i}]`);
      this.created.calls = (this.created.calls ?? 0) + 1;
    }
  }

  private async call(call: ScenarioCall, where: string): Promise<unknown> {
    try {
      return await this.invoke(call);
    } catch (err) {
      const e = err as Error & { code?: string };
      throw new ScenarioError(`${where} (${call.operation}): ${e.code ? `${e.code}: ` : ""}${e.message}`);
    }
  }

  private async invoke(call: ScenarioCall): Promise<unknown> {
    const answer = await this.host.invoke(call.operation, this.substitute(call.input) as Record<string, unknown>, this.scopeOf(call), call.service);
    if (call.id) this.answers.set(call.id, answer);
    return answer;
  }

  /** Replaces `${id.Field.Sub}` in strings with that field of an earlier answer. */
  private substitute(value: unknown): unknown {
    if (typeof value === "string") {
      return value.replace(/\$\{([A-Za-z][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_]+)+)\}/g, (whole, id: string, path: string) => {
        if (!this.answers.has(id)) throw new ScenarioError(`${whole}: no earlier call has id "${id}"`);
        let v: unknown = this.answers.get(id);
        for (const key of path.slice(1).split(".")) v = (v as Record<string, unknown> | undefined)?.[key];
        if (v === undefined || typeof v === "object") throw new ScenarioError(`${whole}: the answer of "${id}" has no such value`);
        return String(v);
      });
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v)]));
    return value;
  }

  private schedule(): void {
    for (const view of this.steps) {
      const step = this.scenario.timeline[view.index]!;
      const timer = this.host.clock.setTimeout(() => {
        this.timers.delete(timer);
        void this.fire(step, view);
      }, step.at);
      this.timers.add(timer);
    }
  }

  private async fire(step: ScenarioStep, view: StepView): Promise<void> {
    view.firedAt = new Date(this.host.clock.now()).toISOString();
    try {
      view.result = await this.apply(step);
      view.status = step.for !== undefined ? "active" : "fired";
      this.host.logger.info(`scenario step ${view.index} fired: ${view.name}`);
    } catch (err) {
      const e = err as Error & { code?: string };
      view.status = "failed";
      view.error = `${e.code ? `${e.code}: ` : ""}${e.message}`;
      this.host.logger.warn(`scenario step ${view.index} failed: ${view.name}: ${view.error}`);
      return;
    }
    if (step.for === undefined) return;
    const timer = this.host.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.end(step, view);
    }, step.for);
    this.timers.add(timer);
  }

  private async apply(step: ScenarioStep): Promise<unknown> {
    const h = this.host;
    if (step.call) return this.invoke(step.call);
    if (step.metric) {
      h.setMetric(step.metric, this.scopeOf(step.metric));
      return { set: `${step.metric.namespace}/${step.metric.name}` };
    }
    if (step.interruptSpot) return h.interruptSpot(this.withScope(step.interruptSpot));
    if (step.capacityShortage) {
      const { provider, ...rest } = step.capacityShortage;
      return h.setCapacityShortage({ [provider]: this.withScope({ ...rest, ...(step.for !== undefined ? { forMs: step.for } : {}) }) });
    }
    if (step.throttle) return h.putQuotas({ chaos: { [step.throttle.operation]: this.chaos(step.throttle.operation, { throttleProbability: step.throttle.probability }) } });
    if (step.serverErrors) {
      const { operation, probability } = step.serverErrors;
      return h.putQuotas({ chaos: { [operation]: this.chaos(operation, { serverErrorProbability: probability }) } });
    }
    if (step.quotas) return h.putQuotas(step.quotas);
    if (step.unpullableImage) {
      h.blockImage(step.unpullableImage.image);
      return { blocked: step.unpullableImage.image };
    }
    if (step.launchInstances) return h.launchInstances(step.launchInstances, this.scopeOf(step.launchInstances));
    if (step.drainInstances) return h.drainInstances(step.drainInstances, this.scopeOf(step.drainInstances));
    if (step.terminateInstances) {
      const { spotNotice, ...selector } = step.terminateInstances;
      return h.terminateInstances(selector, this.scopeOf(selector), spotNotice);
    }
    return undefined;
  }

  /** Puts back what a timed fault changed. Capacity shortages end by themselves (`forMs`). */
  private end(step: ScenarioStep, view: StepView): void {
    const h = this.host;
    if (step.throttle) h.putQuotas({ chaos: { [step.throttle.operation]: this.chaos(step.throttle.operation, { throttleProbability: 0 }) } });
    if (step.serverErrors) h.putQuotas({ chaos: { [step.serverErrors.operation]: this.chaos(step.serverErrors.operation, { serverErrorProbability: 0 }) } });
    if (step.unpullableImage) h.unblockImage(step.unpullableImage.image);
    view.status = "ended";
    view.endedAt = new Date(h.clock.now()).toISOString();
    h.logger.info(`scenario step ${view.index} ended: ${view.name}`);
  }

  /** A chaos rule that changes one probability and keeps the other as configured. */
  private chaos(operation: string, change: { throttleProbability?: number; serverErrorProbability?: number }) {
    const current = this.host.chaosRule(operation) ?? { throttleProbability: 0, serverErrorProbability: 0 };
    return { ...current, ...change };
  }

  private scopeOf(x: { account?: string | undefined; region?: string | undefined }): Scope {
    return {
      account: x.account ?? this.scenario.account ?? this.host.defaults.account,
      region: x.region ?? this.scenario.region ?? this.host.defaults.region,
    };
  }

  private withScope<T extends { account?: string | undefined; region?: string | undefined }>(x: T): T & Scope {
    return { ...x, ...this.scopeOf(x) };
  }
}

function actionOf(step: ScenarioStep): ActionName {
  return ACTIONS.find((a) => step[a] !== undefined)!;
}

function describeStep(step: ScenarioStep): string {
  if (step.call) return `call ${step.call.operation}`;
  if (step.metric) return `metric ${step.metric.namespace}/${step.metric.name}${step.metric.series ? ` series of ${step.metric.series.length}` : ` = ${step.metric.value}`}`;
  if (step.interruptSpot) {
    const s = step.interruptSpot;
    const how = s.fraction !== undefined ? `${Math.round(s.fraction * 100)}% of` : s.count !== undefined ? `${s.count}` : "all";
    return `interrupt ${how} FARGATE_SPOT tasks${s.cluster ? ` in cluster ${s.cluster}` : ""}${s.service ? ` of service ${s.service}` : ""}`;
  }
  if (step.capacityShortage) return `${step.capacityShortage.provider} capacity shortage`;
  if (step.throttle) return `throttle ${step.throttle.operation} with probability ${step.throttle.probability}`;
  if (step.serverErrors) return `server errors on ${step.serverErrors.operation} with probability ${step.serverErrors.probability}`;
  if (step.quotas) return `quotas ${JSON.stringify(step.quotas)}`;
  if (step.unpullableImage) return `image ${step.unpullableImage.image} unpullable`;
  if (step.launchInstances) return `launch ${step.launchInstances.count} ${step.launchInstances.instanceType} in cluster ${step.launchInstances.cluster}`;
  if (step.drainInstances) return `drain instances in cluster ${step.drainInstances.cluster}`;
  if (step.terminateInstances) return `terminate instances in cluster ${step.terminateInstances.cluster}${step.terminateInstances.spotNotice ? " after a spot notice" : ""}`;
  return "step";
}
