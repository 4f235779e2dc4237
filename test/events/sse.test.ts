import Fastify, { type FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerEventRoutes, parseSince } from "../../src/api/admin/events.js";
import type { EcsEventEnvelope } from "../../src/events/envelope.js";
import { makeHub, simpleTask, type HubKit } from "./fixtures.js";

interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE messages off a fetch body, one await per message. */
class SseReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  async next(opts: { comments?: boolean } = {}): Promise<SseMessage | undefined> {
    for (;;) {
      const cut = this.buffer.indexOf("\n\n");
      if (cut >= 0) {
        const block = this.buffer.slice(0, cut);
        this.buffer = this.buffer.slice(cut + 2);
        const msg: SseMessage = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) msg.comment = line.slice(1).trim();
          else {
            const i = line.indexOf(":");
            const field = line.slice(0, i) as "event" | "id" | "data";
            msg[field] = line.slice(i + 1).replace(/^ /, "");
          }
        }
        if (msg.comment !== undefined && !opts.comments) continue;
        return msg;
      }
      const { value, done } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  async event(): Promise<EcsEventEnvelope> {
    const msg = await this.next();
    if (!msg?.data) throw new Error("stream ended");
    const parsed = JSON.parse(msg.data) as EcsEventEnvelope;
    expect(msg.event).toBe(parsed["detail-type"]);
    expect(msg.id).toBe(parsed.id);
    return parsed;
  }
}

let app: FastifyInstance | undefined;
let kit: HubKit | undefined;

afterEach(async () => {
  await app?.close();
  kit?.hub.close();
  app = undefined;
  kit = undefined;
});

async function serve(config = {}): Promise<{ base: string; kit: HubKit }> {
  kit = makeHub(config);
  // fetch (undici) may hold a spare idle connection open; without this, close() waits for it.
  app = Fastify({ forceCloseConnections: true });
  registerEventRoutes(app, kit.hub);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, kit };
}

async function openStream(url: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<{ res: Response; sse: SseReader }> {
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, ...(signal ? { signal } : {}) });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return { res, sse: new SseReader(res.body!.getReader()) };
}

describe("GET /_sim/events", () => {
  it("returns recent events as JSON, filtered by detailType, cluster, since and limit", async () => {
    const { base, kit } = await serve();
    kit.publishTask(simpleTask("prod", "t1"));
    await kit.clock.advance(5_000);
    kit.publishTask(simpleTask("dev", "t2"));
    kit.bus.publish("service.event", {
      account: "111122223333",
      region: "us-west-2",
      detailType: "ECS Service Action",
      resources: ["arn:aws:ecs:us-west-2:111122223333:service/prod/web"],
      detail: { eventType: "INFO", eventName: "SERVICE_STEADY_STATE", clusterArn: "arn:aws:ecs:us-west-2:111122223333:cluster/prod" },
    });
    const all = kit.hub.list();

    const get = async (qs: string): Promise<EcsEventEnvelope[]> => {
      const res = await fetch(`${base}/_sim/events${qs}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      return ((await res.json()) as { events: EcsEventEnvelope[] }).events;
    };
    expect(await get("")).toEqual(all);
    expect((await get("?cluster=prod")).map((e) => e.id)).toEqual([all[0]!.id, all[2]!.id]);
    expect((await get(`?cluster=${encodeURIComponent("arn:aws:ecs:us-west-2:111122223333:cluster/dev")}`)).map((e) => e.id)).toEqual([all[1]!.id]);
    expect((await get("?detailType=ECS%20Service%20Action")).map((e) => e.id)).toEqual([all[2]!.id]);
    expect((await get("?detailType=ECS%20Task%20State%20Change&cluster=prod")).map((e) => e.id)).toEqual([all[0]!.id]);
    expect((await get(`?since=${all[0]!.id}`)).map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id]);
    expect((await get(`?since=${Date.UTC(2026, 0, 1, 0, 0, 1)}`)).map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id]);
    expect((await get("?since=2026-01-01T00:00:05Z")).map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id]);
    expect((await get("?limit=1")).map((e) => e.id)).toEqual([all[2]!.id]);
  });

  it("streams live events as SSE, filtered by detail-type and cluster", async () => {
    const { base, kit } = await serve();
    const { sse } = await openStream(`${base}/_sim/events?cluster=prod&detailType=ECS%20Task%20State%20Change`);
    expect(kit.hub.subscriberCount).toBe(1);

    kit.publishTask(simpleTask("dev", "ignored"));
    kit.publishTask(simpleTask("prod", "t1", "PROVISIONING"));
    kit.publishTask(simpleTask("prod", "t1", "RUNNING"));
    const first = await sse.event();
    const second = await sse.event();
    expect(first.resources[0]).toMatch(/task\/prod\/t1$/);
    expect((first.detail as { lastStatus: string }).lastStatus).toBe("PROVISIONING");
    expect((second.detail as { lastStatus: string }).lastStatus).toBe("RUNNING");
    expect([first, second]).toEqual(kit.hub.list({ clusters: ["prod"] }));
  });

  it("also streams for ?stream=1 without an Accept header", async () => {
    const { base, kit } = await serve();
    const res = await fetch(`${base}/_sim/events?stream=1`);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const sse = new SseReader(res.body!.getReader());
    kit.publishTask(simpleTask("c", "t"));
    expect((await sse.event()).resources[0]).toMatch(/task\/c\/t$/);
  });

  it("replays what a reconnecting client missed (Last-Event-ID) before going live", async () => {
    const { base, kit } = await serve();
    for (const id of ["a", "b", "c"]) kit.publishTask(simpleTask("prod", id));
    const [a, b, c] = kit.hub.list();
    const { sse } = await openStream(`${base}/_sim/events`, { "last-event-id": a!.id });
    expect((await sse.event()).id).toBe(b!.id);
    expect((await sse.event()).id).toBe(c!.id);
    kit.publishTask(simpleTask("prod", "d"));
    expect((await sse.event()).resources[0]).toMatch(/task\/prod\/d$/);
  });

  it("sends keep-alive comments on an idle stream", async () => {
    const { base } = await serve({ sseKeepAliveMs: 100 });
    const { sse } = await openStream(`${base}/_sim/events`);
    expect(await sse.next({ comments: true })).toEqual({ comment: "ecs-sim events" });
    expect(await sse.next({ comments: true })).toEqual({ comment: "keep-alive" });
  });

  it("unsubscribes when the client disconnects", async () => {
    const { base, kit } = await serve();
    const abort = new AbortController();
    const { sse } = await openStream(`${base}/_sim/events`, {}, abort.signal);
    kit.publishTask(simpleTask("prod", "t1"));
    await sse.event();
    expect(kit.hub.subscriberCount).toBe(1);
    abort.abort();
    await vi.waitFor(() => expect(kit.hub.subscriberCount).toBe(0));
    // Publishing after the disconnect must not throw or write to a dead socket.
    expect(() => kit.publishTask(simpleTask("prod", "t2"))).not.toThrow();
  });

  it("ends open streams when the server closes, and when the hub closes", async () => {
    const { base, kit } = await serve();
    const one = await openStream(`${base}/_sim/events`);
    kit.hub.close();
    expect(await one.sse.next()).toBeUndefined();

    const again = await serve();
    const two = await openStream(`${again.base}/_sim/events`);
    await app!.close();
    app = undefined;
    expect(await two.sse.next()).toBeUndefined();
    expect(again.kit.hub.subscriberCount).toBe(0);
  });
});

describe("parseSince", () => {
  it("reads epoch ms, ISO times and event ids", () => {
    expect(parseSince("1767225600000")).toBe(1767225600000);
    expect(parseSince("2026-01-01T00:00:00Z")).toBe(Date.UTC(2026, 0, 1));
    expect(parseSince("3317b2af-7005-947d-b652-f55e762e571a")).toBe("3317b2af-7005-947d-b652-f55e762e571a");
    expect(parseSince("")).toBeUndefined();
  });
});
