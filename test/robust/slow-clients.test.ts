import { ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EcsEventEnvelope } from "../../src/events/envelope.js";
import { startSimulator, type RunningSimulator } from "../../src/index.js";

/**
 * Real sockets against a listening simulator. Nothing here waits on a timer: each test waits for
 * the socket or log event it is about, and vitest's test timeout is the only clock.
 */
let sim: RunningSimulator | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await sim?.close();
  sim = undefined;
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
    sockets.push(s);
  });
}

/** Everything the server sent until it closed the connection. */
function untilClosed(s: Socket): Promise<string> {
  let text = "";
  s.on("data", (d) => (text += d.toString("latin1")));
  return new Promise((resolve) => s.on("close", () => resolve(text)));
}

/** Resolves with the response head once the server has sent it. */
function head(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (d: Buffer): void => {
      text += d.toString("latin1");
      if (text.includes("\r\n\r\n")) {
        s.off("data", onData);
        resolve(text);
      }
    };
    s.on("data", onData);
  });
}

const STREAM_REQUEST = "GET /_sim/events?stream=1 HTTP/1.1\r\nHost: x\r\n\r\n";

let seq = 0;
function bigEvent(bytes: number): EcsEventEnvelope {
  return {
    version: "0",
    id: `evt-${seq++}`,
    "detail-type": "ECS Task State Change",
    source: "aws.ecs",
    account: "000000000000",
    time: "2026-01-01T00:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { padding: "x".repeat(bytes) },
  } as unknown as EcsEventEnvelope;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("request deadlines", () => {
  it("a client that never finishes its headers is answered 408 and disconnected", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", port: 0, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const s = await open(sim.port);
    const closed = untilClosed(s);
    s.write("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n");
    const text = await closed;
    if (text !== "") expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it("a client that stops in the middle of its body is answered 408 and disconnected", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", port: 0, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const s = await open(sim.port);
    const closed = untilClosed(s);
    s.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"cluster");
    const text = await closed;
    if (text !== "") expect(text).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe("event streams", () => {
  it("a client that stops reading is disconnected; the others and the API carry on", async () => {
    let dropped: () => void = () => {};
    const droppedOnce = new Promise<void>((r) => (dropped = r));
    sim = await startSimulator(
      { runtime: "simulated", clock: "virtual", port: 0, logLevel: "warn", events: { sseMaxBufferBytes: 256 * 1024 } },
      {
        logWrite: (line) => {
          if (line.includes("stopped reading")) dropped();
        },
      },
    );
    const hub = sim.simulator.events;
    const stuck = await open(sim.port);
    stuck.write(STREAM_REQUEST);
    await head(stuck);
    stuck.pause();
    const reader = await open(sim.port);
    reader.write(STREAM_REQUEST);
    await head(reader);
    let received = 0;
    reader.on("data", (d) => (received += d.length));
    expect(hub.subscriberCount).toBe(2);

    // The kernel's socket buffers take a few MB before the server sees any backpressure.
    let done = false;
    void droppedOnce.then(() => (done = true));
    for (let i = 0; i < 4_000 && !done; i++) {
      hub.publish(bigEvent(16 * 1024));
      await turn();
    }
    await droppedOnce;
    expect(hub.subscriberCount).toBe(1);
    expect(received).toBeGreaterThan(0);
    const health = await fetch(`${sim.endpoint}/_sim/health`);
    expect(health.status).toBe(200);
  });

  it("caps the number of open streams with a 503 in the admin error shape", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", port: 0, events: { sseMaxClients: 2 } });
    for (let i = 0; i < 2; i++) {
      const s = await open(sim.port);
      s.write(STREAM_REQUEST);
      expect(await head(s)).toMatch(/^HTTP\/1\.1 200/);
    }
    const refused = await fetch(`${sim.endpoint}/_sim/events?stream=1`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: "TooManyStreams", message: expect.stringContaining("2") });
    expect(sim.simulator.events.subscriberCount).toBe(2);
  });

  it("publishing writes to no socket: delivery happens on a later turn", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", port: 0 });
    const s = await open(sim.port);
    s.write(STREAM_REQUEST);
    await head(s);
    const got = new Promise<string>((resolve) => {
      let text = "";
      s.on("data", (d) => {
        text += d.toString();
        if (text.includes("evt-off-path")) resolve(text);
      });
    });
    const write = vi.spyOn(ServerResponse.prototype, "write");
    try {
      sim.simulator.events.publish({ ...bigEvent(10), id: "evt-off-path" } as EcsEventEnvelope);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
    expect(await got).toContain("id: evt-off-path");
  });
});
