import type { Clock, TimerHandle } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { RetryConfig, WebhookConfig } from "./config.js";
import type { EcsEventEnvelope } from "./envelope.js";
import { matchesFilter } from "./filter.js";

/** What happened to one delivery attempt; observable so tests and metrics need no polling. */
export interface DeliveryOutcome {
  url: string;
  eventId: string;
  attempt: number;
  ok: boolean;
  /** HTTP status, when the receiver answered. */
  status?: number;
  error?: string;
  /** Set when another attempt has been scheduled this many (clock) milliseconds from now. */
  retryInMs?: number;
  /** Set on the last failed attempt: the event is abandoned for this webhook. */
  gaveUp?: boolean;
}

export interface WebhookDispatcherOptions {
  webhooks: readonly WebhookConfig[];
  retry: RetryConfig;
  timeoutMs: number;
  maxPending: number;
  clock: Clock;
  logger: Logger;
  /** Injected for tests that want to observe requests without a server; defaults to global fetch. */
  fetch?: typeof fetch;
  /** A reason to refuse the target (checked before each attempt), or undefined to deliver. */
  refuseTarget?: (url: string) => Promise<string | undefined>;
}

interface Target {
  config: WebhookConfig;
  pending: number;
  dropped: number;
}

/**
 * POSTs each matching event to the configured webhooks. Delivery is fire-and-forget from the
 * publisher's point of view: dispatch() returns at once and nothing it starts can throw into the
 * simulator. Retries wait on the injected clock, so under a virtual clock they happen exactly
 * when the test advances time. There is no random jitter: drawing from the seeded generator at
 * network-dependent moments would make replays diverge.
 */
export class WebhookDispatcher {
  private readonly targets: Target[];
  private readonly timers = new Set<TimerHandle>();
  private readonly inflight = new Set<AbortController>();
  private readonly listeners = new Set<(o: DeliveryOutcome) => void>();
  private readonly doFetch: typeof fetch;
  private closed = false;
  /** Bumped by cancelPending: an attempt started before it must not count or retry after it. */
  private generation = 0;

  constructor(private readonly opts: WebhookDispatcherOptions) {
    this.targets = opts.webhooks.map((config) => ({ config, pending: 0, dropped: 0 }));
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  get size(): number {
    return this.targets.length;
  }

  /** Deliveries queued for retry or in flight, across all webhooks. */
  pending(): number {
    return this.targets.reduce((n, t) => n + t.pending, 0);
  }

  onOutcome(listener: (o: DeliveryOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispatch(event: EcsEventEnvelope, clusterArn: string | undefined): void {
    if (this.closed) return;
    for (const target of this.targets) {
      const { detailTypes, clusters } = target.config;
      if (!matchesFilter(event, clusterArn, { detailTypes, clusters })) continue;
      if (target.pending >= this.opts.maxPending) {
        // A dead receiver must cost bounded memory; say so once per outage, not per event.
        if (target.dropped++ === 0) {
          this.opts.logger.warn("webhook backlog full, dropping events", { url: target.config.url, maxPending: this.opts.maxPending });
        }
        continue;
      }
      target.pending++;
      const body = JSON.stringify(event);
      void this.attempt(target, event.id, body, 1);
    }
  }

  /** Drops every waiting retry and in-flight attempt; attempts already running report nothing more. */
  cancelPending(): void {
    this.generation++;
    for (const t of this.timers) this.opts.clock.clearTimeout(t);
    this.timers.clear();
    for (const c of this.inflight) c.abort(new Error("simulator reset"));
    this.inflight.clear();
    for (const t of this.targets) {
      t.pending = 0;
      t.dropped = 0;
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) this.opts.clock.clearTimeout(t);
    this.timers.clear();
    for (const c of this.inflight) c.abort(new Error("event hub closed"));
    this.inflight.clear();
  }

  private async attempt(target: Target, eventId: string, body: string, attempt: number): Promise<void> {
    if (this.closed) return;
    const generation = this.generation;
    const url = target.config.url;
    const refusal = await this.opts.refuseTarget?.(url);
    if (refusal) {
      target.pending--;
      if (target.dropped++ === 0) this.opts.logger.error(refusal);
      this.emit({ url, eventId, attempt, ok: false, error: refusal, gaveUp: true });
      return;
    }
    const controller = new AbortController();
    this.inflight.add(controller);
    // A real-time deadline on purpose: it bounds network I/O, which runs on wall time even when
    // the simulation runs on a virtual clock that may never be advanced.
    const deadline = setTimeout(() => controller.abort(new Error(`timed out after ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
    deadline.unref();
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await this.doFetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "ecs-sim",
          "x-ecs-sim-event-id": eventId,
          "x-ecs-sim-attempt": String(attempt),
          ...target.config.headers,
        },
        body,
        // A redirect could lead the POST to an address the target check refuses.
        redirect: "manual",
        signal: controller.signal,
      });
      status = res.status;
      // Drain the body so the keep-alive connection is reusable.
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = describeError(err);
    } finally {
      clearTimeout(deadline);
      this.inflight.delete(controller);
    }
    if (this.closed || generation !== this.generation) return;

    const ok = status !== undefined && status >= 200 && status < 300;
    if (ok) {
      target.pending--;
      target.dropped = 0;
      this.emit({ url, eventId, attempt, ok, status });
      return;
    }
    const reason = error ?? `HTTP ${status}`;
    if (isRetryable(status) && attempt < this.opts.retry.maxAttempts) {
      const retryInMs = backoffMs(this.opts.retry, attempt);
      this.opts.logger.warn("webhook delivery failed, will retry", { url, eventId, attempt, reason, retryInMs });
      const handle = this.opts.clock.setTimeout(() => {
        this.timers.delete(handle);
        void this.attempt(target, eventId, body, attempt + 1);
      }, retryInMs);
      this.timers.add(handle);
      this.emit({ url, eventId, attempt, ok, status, error, retryInMs });
      return;
    }
    target.pending--;
    this.opts.logger.error("webhook delivery abandoned", { url, eventId, attempts: attempt, reason });
    this.emit({ url, eventId, attempt, ok, status, error, gaveUp: true });
  }

  private emit(outcome: DeliveryOutcome): void {
    for (const l of [...this.listeners]) {
      try {
        l(stripUndefined(outcome));
      } catch (err) {
        this.opts.logger.warn("webhook outcome listener threw", { error: describeError(err) });
      }
    }
  }
}

/** Network errors, timeouts, 408, 429 and 5xx are worth another try; other 4xx are not. */
export function isRetryable(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 408 || status === 429 || status >= 500;
}

/** initialDelayMs * multiplier^(attempt-1), capped at maxDelayMs. */
export function backoffMs(retry: RetryConfig, attempt: number): number {
  const raw = retry.initialDelayMs * Math.pow(retry.multiplier, Math.max(0, attempt - 1));
  return Math.min(retry.maxDelayMs, Math.round(raw));
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
