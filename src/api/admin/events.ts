import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { EcsEventEnvelope } from "../../events/envelope.js";
import type { EventLogQuery } from "../../events/event-log.js";
import type { EventFilter } from "../../events/filter.js";
import type { EventHub } from "../../events/hub.js";
import type { Logger } from "../../core/logger.js";
import { adminError } from "./errors.js";
import { SseStream } from "./sse-stream.js";

/**
 * GET /_sim/events: recent EventBridge-shaped events as JSON, or a live Server-Sent Events
 * stream when the client asks for text/event-stream (or passes ?stream=1).
 *
 * Query: since (epoch ms, ISO time or an event id), detailType (repeatable or comma-separated),
 * cluster (name or ARN, repeatable or comma-separated), limit (JSON only: newest N).
 * SSE honours Last-Event-ID (what EventSource sends on reconnect) and `since` by replaying the
 * retained events after that point before going live.
 *
 * At most events.sseMaxClients streams are open at once (503 TooManyStreams beyond); a client
 * that stops reading is disconnected once events.sseMaxBufferBytes wait for it (sse-stream.ts).
 *
 * SSE is written by hand on the hijacked raw response rather than with @fastify/sse: the
 * protocol here is three fields and a comment line, and hand-writing keeps the replay-then-live
 * handoff synchronous (no event can fall between the backlog and the subscription).
 */
type Query = Record<string, string | string[] | undefined>;

export { formatSse } from "./sse-stream.js";

/** `logger` hears about clients disconnected for not reading. */
export function registerEventRoutes(app: FastifyInstance, hub: EventHub, logger?: Logger): void {
  const openStreams = new Set<() => void>();
  // Streams never end on their own; server.close() would wait for them forever.
  app.addHook("preClose", (done) => {
    for (const end of [...openStreams]) end();
    done();
  });

  app.get("/_sim/events", (request: FastifyRequest, reply: FastifyReply) => {
    const query = (request.query ?? {}) as Query;
    const filter: EventFilter = { detailTypes: listParam(query.detailType), clusters: listParam(query.cluster) };
    if (wantsStream(request, query)) {
      const lastEventId = headerValue(request.headers["last-event-id"]);
      const since = lastEventId ?? parseSince(firstParam(query.since));
      openStream(hub, reply, filter, since, openStreams, logger);
      return;
    }
    const limit = Number(firstParam(query.limit));
    const q: EventLogQuery = { ...filter, since: parseSince(firstParam(query.since)) };
    if (Number.isInteger(limit) && limit >= 0) q.limit = limit;
    return reply.send({ events: hub.list(q) });
  });
}

function openStream(
  hub: EventHub,
  reply: FastifyReply,
  filter: EventFilter,
  since: number | string | undefined,
  openStreams: Set<() => void>,
  logger: Logger | undefined,
): void {
  if (openStreams.size >= hub.config.sseMaxClients) {
    void adminError(reply, 503, "TooManyStreams", `At most ${hub.config.sseMaxClients} event streams may be open at once (events.sseMaxClients).`);
    return;
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // Stops nginx-style proxies from buffering the stream.
    "x-accel-buffering": "no",
  });
  // A first write flushes the headers, so clients see the stream open before any event.
  res.write(": ecs-sim events\n\n");

  let unsubscribe: () => void = () => {};
  // Keep-alives are a transport concern, so they run on wall time even under a virtual clock.
  const keepAlive = setInterval(() => stream.comment("keep-alive"), hub.config.sseKeepAliveMs);
  keepAlive.unref();
  const stream = new SseStream(res, { maxBufferBytes: hub.config.sseMaxBufferBytes }, (reason) => {
    clearInterval(keepAlive);
    unsubscribe();
    openStreams.delete(close);
    if (reason === "too-slow") {
      logger?.warn("event stream client stopped reading; disconnected", { maxBufferBytes: hub.config.sseMaxBufferBytes });
    }
  });
  const close = (): void => stream.close();
  openStreams.add(close);

  const send = (event: EcsEventEnvelope): void => stream.send(event);
  // Backlog and subscription are taken in the same synchronous turn: nothing is missed or doubled.
  if (since !== undefined) {
    for (const event of hub.list({ ...filter, since })) send(event);
  }
  if (stream.isEnded) return;
  unsubscribe = hub.subscribe(filter, send, close);
}

function wantsStream(request: FastifyRequest, query: Query): boolean {
  const stream = firstParam(query.stream);
  if (stream !== undefined) return stream === "1" || stream === "true" || stream === "";
  const accept = headerValue(request.headers.accept) ?? "";
  return accept.toLowerCase().includes("text/event-stream");
}

/** `since` as epoch ms (digits), an ISO timestamp, or else an event id. */
export function parseSince(value: string | undefined): number | string | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return value;
}

function listParam(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return items.length > 0 ? items : undefined;
}

function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
