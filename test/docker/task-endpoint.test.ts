/**
 * The task endpoint's security without an engine: what it forwards (API calls only, never the
 * admin API unless allowed), where it binds, and that its per-task secrets are random.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import type { RunningSimulator } from "../../src/index.js";
import { parseDockerConfig } from "../../src/runtime/docker/index.js";
import { MetadataServer } from "../../src/runtime/docker/metadata-server.js";
import { listenTaskEndpoint, newCredentialsId, newMetadataToken, placeTaskEndpoint, TASK_ENDPOINT_ALIAS } from "../../src/runtime/docker/task-endpoint.js";
import { TARGET, virtualSim } from "../helpers/sim.js";

describe("task endpoint: what passes through to the simulator", () => {
  let sim: RunningSimulator;
  let closed: MetadataServer;
  let open: MetadataServer;
  let closedUrl: string;
  let openUrl: string;

  beforeAll(async () => {
    sim = await virtualSim();
    const route = async (path: string) => (path === "/v4/tok" ? { status: 200, body: { Name: "app" } } : undefined);
    closed = new MetadataServer({ route, proxyTarget: sim.endpoint, logger: silentLogger });
    open = new MetadataServer({ route, proxyTarget: sim.endpoint, logger: silentLogger, allowAdmin: true });
    closedUrl = `http://127.0.0.1:${await closed.listen("127.0.0.1", 0)}`;
    openUrl = `http://127.0.0.1:${await open.listen("127.0.0.1", 0)}`;
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
    await sim.close();
  });

  const api = (base: string, op: string) =>
    fetch(`${base}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET + op },
      body: "{}",
    });

  it("serves metadata and forwards ECS API calls (POST /)", async () => {
    expect(await (await fetch(`${closedUrl}/v4/tok`)).json()).toEqual({ Name: "app" });
    await api(closedUrl, "CreateCluster");
    const res = await api(closedUrl, "ListClusters");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { clusterArns: string[] }).clusterArns).toContain("arn:aws:ecs:us-east-1:000000000000:cluster/default");
  });

  it("never forwards the admin API: reset, quotas and state stay out of a task's reach", async () => {
    await api(closedUrl, "CreateCluster");
    for (const [method, path, body] of [
      ["POST", "/_sim/reset", "{}"],
      ["PUT", "/_sim/quotas", '{"vcpu":{"onDemand":1}}'],
      ["GET", "/_sim/state", undefined],
      ["GET", "/_sim/health", undefined],
      ["GET", "/v4/unknown-but-proxied-before", undefined],
      ["POST", "/anything", "{}"],
      ["GET", "/", undefined],
    ] as const) {
      const res = await fetch(`${closedUrl}${path}`, { method, ...(body ? { body, headers: { "content-type": "application/json" } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { message: string }).message).toMatch(/serves task metadata, task credentials and API calls \(POST \/\) only/);
    }
    const state = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/state" })).json();
    expect(state.regions[0].clusters.length).toBe(1);
  });

  it("forwards /_sim/ when docker.allowTaskAdminAccess says so", async () => {
    const res = await fetch(`${openUrl}/_sim/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("ok");
  });

  it("still leaves the admin token to the simulator when admin access is allowed", async () => {
    const guarded = await virtualSim({ adminToken: "admin-token-42" });
    const server = new MetadataServer({ route: async () => undefined, proxyTarget: guarded.endpoint, logger: silentLogger, allowAdmin: true });
    try {
      const url = `http://127.0.0.1:${await server.listen("127.0.0.1", 0)}/_sim/state`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer admin-token-42" } })).status).toBe(200);
    } finally {
      await server.close();
      await guarded.close();
    }
  });
});

describe("task endpoint placement", () => {
  const config = parseDockerConfig({});

  it("binds the task network's gateway when it is an address of this machine, never 0.0.0.0 by default", () => {
    expect(config.metadataHost).toBe("auto");
    const p = placeTaskEndpoint(config, "172.30.0.1");
    expect(p).toEqual({
      bindHost: "172.30.0.1",
      taskHost: TASK_ENDPOINT_ALIAS,
      extraHosts: [`${TASK_ENDPOINT_ALIAS}:172.30.0.1`],
      hostModeAddress: "172.30.0.1",
      checkCaller: true,
    });
  });

  it("falls back to loopback through host-gateway when the gateway is elsewhere (Docker Desktop, remote engine)", () => {
    const p = placeTaskEndpoint(config, "172.30.0.1", "EADDRNOTAVAIL");
    expect(p.bindHost).toBe("127.0.0.1");
    expect(p.extraHosts).toEqual([`${TASK_ENDPOINT_ALIAS}:host-gateway`]);
    expect(p.checkCaller).toBe(false);
    expect(p.fallback).toContain("172.30.0.1");
  });

  it("learns that the gateway is not local by trying to bind it", async () => {
    const tried: string[] = [];
    const server = {
      async listen(host: string) {
        tried.push(host);
        if (host === "172.30.0.1") throw Object.assign(new Error("listen EADDRNOTAVAIL"), { code: "EADDRNOTAVAIL" });
        return 1234;
      },
    };
    const { endpoint, port } = await listenTaskEndpoint(server, config, "172.30.0.1");
    expect(tried).toEqual(["172.30.0.1", "127.0.0.1"]);
    expect({ bindHost: endpoint.bindHost, port }).toEqual({ bindHost: "127.0.0.1", port: 1234 });
  });

  it("advertises a name when the simulator itself runs in a container on the task network", () => {
    const p = placeTaskEndpoint(parseDockerConfig({ metadataHost: "0.0.0.0", metadataAdvertiseHost: "ecs-sim" }), "172.30.0.1");
    expect(p).toMatchObject({ bindHost: "0.0.0.0", taskHost: "ecs-sim", extraHosts: [], checkCaller: true });
  });

  it("lets docker.checkCallerAddress force the caller check either way", () => {
    expect(placeTaskEndpoint(parseDockerConfig({ checkCallerAddress: false }), "172.30.0.1").checkCaller).toBe(false);
    expect(placeTaskEndpoint(parseDockerConfig({ checkCallerAddress: true }), "172.30.0.1", "EADDRNOTAVAIL").checkCaller).toBe(true);
  });

  it("draws metadata tokens and credential ids at random, not from the task ARN", () => {
    const a = newMetadataToken("0123456789abcdef0123456789abcdef");
    const b = newMetadataToken("0123456789abcdef0123456789abcdef");
    expect(a).toMatch(/^0123456789abcdef0123456789abcdef-[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(newCredentialsId()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newCredentialsId()).not.toBe(newCredentialsId());
  });
});
