import type { Clock } from "../core/clock.js";
import type { DomainEvents, EventBus } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import type { SeededRandom } from "../core/random.js";
import { EventsConfigSchema, type EventsConfig, type EventsConfigInput } from "./config.js";
import { buildEnvelope, clusterArnOf, type EcsEventEnvelope } from "./envelope.js";
import { EventLog, type EventLogQuery, type LoggedEvent } from "./event-log.js";
import { matchesFilter, type EventFilter } from "./filter.js";
import { INSTANCE_STATE_CHANGE, instanceStateChangeDetail } from "./instance-state-change.js";
import { PLACEMENT_FAILURE, placementFailureDetail } from "./placement-failure.js";
import { TASK_STATE_CHANGE, taskStateChangeDetail } from "./task-state-change.js";
import { WebhookDispatcher, type DeliveryOutcome } from "./webhooks.js";
import { createTargetGuard } from "./webhook-targets.js";

export interface EventHubOptions {
  bus: EventBus;
  clock: Clock;
  /**
   * Draws event ids. Prefer a stream of its own (e.g. new SeededRandom(seed ^ 0x5eed0e7e)):
   * ids are drawn on every task transition, and a dedicated stream keeps them from shifting
   * the scheduler's draws if event production ever changes.
   */
  random: SeededRandom;
  logger: Logger;
  /** Parsed or raw `events` config section; raw input is validated here. */
  config?: EventsConfig | EventsConfigInput;
  /** For tests; defaults to global fetch. */
  fetch?: typeof fetch;
  /** The simulator's API port once it listens: webhooks may not target it. */
  ownPort?: () => number | undefined;
  /** Name resolution for the webhook target check; for tests. */
  resolve?: (hostname: string) => Promise<string[]>;
}

export type EventListener = (event: EcsEventEnvelope) => void;

interface Subscription {
  filter: EventFilter | undefined;
  listener: EventListener;
  onClose: (() => void) | undefined;
}

/**
 * Turns domain events into EventBridge-shaped events and hands them to every reader: the
 * recent-events log (GET /_sim/events, SSE replay), programmatic subscribers and webhooks.
 * Publishing stays synchronous and cheap for the scheduler; a throwing subscriber or a failing
 * webhook is logged, never propagated.
 */
export class EventHub {
  readonly config: EventsConfig;
  readonly log: EventLog;
  private readonly webhooks: WebhookDispatcher;
  private readonly subscriptions = new Set<Subscription>();
  private readonly unsubscribeBus: (() => void)[];
  private closed = false;

  constructor(private readonly opts: EventHubOptions) {
    this.config = EventsConfigSchema.parse(opts.config ?? {});
    this.log = new EventLog(this.config.bufferSize);
    this.webhooks = new WebhookDispatcher({
      webhooks: this.config.webhooks,
      retry: this.config.retry,
      timeoutMs: this.config.webhookTimeoutMs,
      maxPending: this.config.maxPendingDeliveries,
      clock: opts.clock,
      logger: opts.logger,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(this.config.allowUnsafeWebhookTargets
        ? {}
        : { refuseTarget: createTargetGuard({ ownPort: opts.ownPort ?? (() => undefined), ...(opts.resolve ? { resolve: opts.resolve } : {}) }) }),
    });
    this.unsubscribeBus = [
      opts.bus.subscribe("task.changed", (p) => this.onTaskChanged(p)),
      opts.bus.subscribe("service.event", (p) => this.onServiceEvent(p)),
      opts.bus.subscribe("instance.changed", (p) => this.onInstanceChanged(p)),
      opts.bus.subscribe("aws.event", (p) => this.onAwsEvent(p)),
      ...(this.config.placementFailures ? [opts.bus.subscribe("task.placement-failed", (p) => this.onPlacementFailed(p))] : []),
    ];
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Live subscriptions (SSE streams included); lets tests and /_sim status see open readers. */
  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** Recent events, oldest first. */
  list(query?: EventLogQuery): EcsEventEnvelope[] {
    return this.log.list(query);
  }

  /**
   * Calls `listener` for every future event that matches `filter` (undefined = all).
   * `onClose` runs once if the hub closes while subscribed. Returns the unsubscribe function.
   */
  subscribe(filter: EventFilter | undefined, listener: EventListener, onClose?: () => void): () => void {
    if (this.closed) {
      onClose?.();
      return () => {};
    }
    const sub: Subscription = { filter, listener, onClose };
    this.subscriptions.add(sub);
    return () => {
      this.subscriptions.delete(sub);
    };
  }

  /** Resolves with the next matching event (optionally also satisfying `predicate`). */
  next(filter?: EventFilter, predicate?: (e: EcsEventEnvelope) => boolean): Promise<EcsEventEnvelope> {
    return new Promise((resolve, reject) => {
      const off = this.subscribe(
        filter,
        (e) => {
          if (predicate && !predicate(e)) return;
          off();
          resolve(e);
        },
        () => reject(new Error("event hub closed")),
      );
    });
  }

  /** Observes webhook attempts (success, scheduled retry, abandonment). */
  onWebhookOutcome(listener: (o: DeliveryOutcome) => void): () => void {
    return this.webhooks.onOutcome(listener);
  }

  /** Webhook deliveries still waiting for a retry or in flight. */
  pendingWebhookDeliveries(): number {
    return this.webhooks.pending();
  }

  /**
   * Appends an already-built envelope and fans it out. The bus handlers use it; it is public so
   * future event kinds (or tests) can publish without a domain event.
   */
  publish(event: EcsEventEnvelope): LoggedEvent | undefined {
    if (this.closed) return undefined;
    // Every reader gets the same object; freezing it keeps one reader from editing another's copy.
    deepFreeze(event);
    const clusterArn = clusterArnOf(event);
    const entry = this.log.append(event, this.opts.clock.now(), clusterArn);
    for (const sub of [...this.subscriptions]) {
      if (!this.subscriptions.has(sub) || !matchesFilter(event, clusterArn, sub.filter)) continue;
      try {
        sub.listener(event);
      } catch (err) {
        this.opts.logger.warn("event subscriber threw", { error: (err as Error)?.message ?? String(err), eventId: event.id });
      }
    }
    this.webhooks.dispatch(event, clusterArn);
    return entry;
  }

  /** As just started: no retained events and no webhook delivery waiting; subscribers stay connected. */
  reset(): void {
    this.log.clear();
    this.webhooks.cancelPending();
  }

  /** Stops consuming the bus, cancels webhook retries and ends every subscription. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.unsubscribeBus) off();
    this.webhooks.close();
    const subs = [...this.subscriptions];
    this.subscriptions.clear();
    for (const sub of subs) {
      try {
        sub.onClose?.();
      } catch {
        // Closing must finish even if a subscriber's cleanup misbehaves.
      }
    }
  }

  private onTaskChanged(p: DomainEvents["task.changed"]): void {
    try {
      const now = this.opts.clock.now();
      const detail = taskStateChangeDetail(p.task, now);
      this.publish(
        buildEnvelope({
          detailType: TASK_STATE_CHANGE,
          account: p.account,
          region: p.region,
          resources: p.task.taskArn ? [p.task.taskArn] : [],
          detail,
          timeMs: now,
          random: this.opts.random,
        }) as EcsEventEnvelope,
      );
    } catch (err) {
      this.opts.logger.error("could not build task state change event", { error: (err as Error).message, taskArn: p.task.taskArn });
    }
  }

  private onInstanceChanged(p: DomainEvents["instance.changed"]): void {
    try {
      const now = this.opts.clock.now();
      this.publish(
        buildEnvelope({
          detailType: INSTANCE_STATE_CHANGE,
          account: p.account,
          region: p.region,
          resources: [p.instance.containerInstanceArn!],
          detail: instanceStateChangeDetail(p.instance, p.clusterArn, now),
          timeMs: now,
          random: this.opts.random,
        }),
      );
    } catch (err) {
      this.opts.logger.error("could not build container instance event", { error: (err as Error).message });
    }
  }

  private onAwsEvent(p: DomainEvents["aws.event"]): void {
    try {
      this.publish(
        buildEnvelope({
          detailType: p.detailType,
          source: p.source,
          account: p.account,
          region: p.region,
          resources: p.resources,
          detail: structuredClone(p.detail),
          timeMs: this.opts.clock.now(),
          random: this.opts.random,
        }),
      );
    } catch (err) {
      this.opts.logger.error("could not build event", { error: (err as Error).message, detailType: p.detailType });
    }
  }

  private onPlacementFailed(p: DomainEvents["task.placement-failed"]): void {
    try {
      const now = this.opts.clock.now();
      this.publish(
        buildEnvelope({
          detailType: PLACEMENT_FAILURE,
          account: p.account,
          region: p.region,
          resources: [p.clusterArn],
          detail: placementFailureDetail(p, now),
          timeMs: now,
          random: this.opts.random,
        }),
      );
    } catch (err) {
      this.opts.logger.error("could not build placement failure event", { error: (err as Error).message });
    }
  }

  private onServiceEvent(p: DomainEvents["service.event"]): void {
    try {
      this.publish(
        buildEnvelope({
          detailType: p.detailType,
          account: p.account,
          region: p.region,
          resources: p.resources,
          detail: structuredClone(p.detail),
          timeMs: this.opts.clock.now(),
          random: this.opts.random,
        }),
      );
    } catch (err) {
      this.opts.logger.error("could not build service event", { error: (err as Error).message, detailType: p.detailType });
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
