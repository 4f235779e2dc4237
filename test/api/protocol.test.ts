import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { ECS_OPERATIONS } from "../../src/api/operation.js";
import { authFor, call, FARGATE_DEF, ok, TARGET, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

describe("wire protocol", () => {
  it("answers 200 JSON with x-amzn-RequestId and the awsJson content type", async () => {
    const res = await call(sim, "ListClusters", {});
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({ clusterArns: [] });
  });

  it("encodes timestamps as epoch seconds with a fraction", async () => {
    const body = await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    expect(typeof body.taskDefinition.registeredAt).toBe("number");
    expect(body.taskDefinition.registeredAt).toBeGreaterThan(1_700_000_000);
    expect(body.taskDefinition.registeredAt).toBeLessThan(4_000_000_000);
  });

  it("shapes errors as HTTP 400 with __type, message and a matching x-amzn-ErrorType", async () => {
    // Reads never create `default`; it must exist for the request itself to be judged.
    await call(sim, "CreateCluster", {});
    const res = await call(sim, "DescribeTasks", { tasks: [] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "InvalidParameterException", message: "Tasks cannot be empty." });
    expect(res.headers["x-amzn-errortype"]).toBe("InvalidParameterException");
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
  });

  it("answers SerializationException for a body that is not JSON", async () => {
    const res = await call(sim, "ListClusters", "{not json");
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("SerializationException");
    const arr = await call(sim, "ListClusters", "[1,2]");
    expect(arr.status).toBe(400);
    expect(arr.body.__type).toBe("SerializationException");
  });

  it("treats an empty body as {}", async () => {
    const res = await call(sim, "ListClusters", "");
    expect(res.status).toBe(200);
  });

  it("answers UnknownOperationException for an unknown or missing target", async () => {
    const res = await call(sim, "FlyToTheMoon", {});
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("UnknownOperationException");
    const none = await sim.simulator.app.inject({ method: "POST", url: "/", payload: "{}" });
    expect(none.statusCode).toBe(400);
    expect(JSON.parse(none.body).__type).toBe("UnknownOperationException");
    const other = await sim.simulator.app.inject({
      method: "POST",
      url: "/",
      headers: { "x-amz-target": "DynamoDB_20120810.ListTables" },
      payload: "{}",
    });
    expect(JSON.parse(other.body).__type).toBe("UnknownOperationException");
  });

  it("answers every operation of the ECS model with a well-formed response, never a 404 or 500", async () => {
    for (const op of ECS_OPERATIONS) {
      const res = await call(sim, op, {});
      expect(res.status, op).not.toBe(404);
      expect(res.status, op).toBeLessThan(500);
      if (res.status !== 200) {
        expect(typeof res.body.__type, op).toBe("string");
        expect(typeof res.body.message, op).toBe("string");
      }
    }
  });

  it("names the operation when it is not implemented", async () => {
    const daemon = await call(sim, "CreateDaemon", {});
    expect(daemon.status).toBe(400);
    expect(daemon.body.__type).toBe("ClientException");
    expect(daemon.body.message).toContain("CreateDaemon");
  });

  it("validates with zod and names the member, without changing state", async () => {
    const res = await call(sim, "RunTask", { taskDefinition: 42 });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
    expect(res.body.message).toContain("'taskDefinition'");
    const missing = await call(sim, "DescribeTaskDefinition", {});
    expect(missing.body.message).toContain("'taskDefinition' failed to satisfy constraint: Member must not be null");
    const badEnum = await call(sim, "ListTasks", { desiredStatus: "SLEEPING" });
    expect(badEnum.body.message).toContain("Member must satisfy enum value set");
    const nested = await call(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, containerDefinitions: [{ name: "a", image: "b", cpu: "lots" }] });
    expect(nested.status).toBe(400);
    expect(nested.body.message).toContain("containerDefinitions.1.member.cpu");
    expect((await ok(sim, "ListTaskDefinitions")).taskDefinitionArns).toEqual([]);
    expect((await ok(sim, "ListClusters")).clusterArns).toEqual([]);
  });

  it("never answers a malformed request with a 5xx", async () => {
    const bodies = ["null", "true", '"x"', "{}", '{"cluster":{}}', '{"tasks":"a"}', '{"count":1e400}', '{"__proto__":{"x":1}}', "\u0000"];
    for (const op of ["RunTask", "DescribeTasks", "RegisterTaskDefinition", "CreateCluster", "TagResource", "ListTasks"]) {
      for (const body of bodies) {
        const res = await call(sim, op, body);
        expect(res.status, `${op} ${body}`).toBeLessThan(500);
      }
    }
  });

  it("refuses bodies above the configured limit with a 4xx", async () => {
    const huge = JSON.stringify({ family: "x".repeat(2 * 1024 * 1024) });
    const res = await call(sim, "RegisterTaskDefinition", huge);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.__type).toBeTruthy();
  });

  it("takes the region from the SigV4 credential scope and the account from a 12-digit access key", async () => {
    const headers = { authorization: authFor("123456789012", "eu-west-1") };
    const created = await call(sim, "CreateCluster", { clusterName: "iso" }, headers);
    expect(created.body.cluster.clusterArn).toBe("arn:aws:ecs:eu-west-1:123456789012:cluster/iso");
    // Another account and region do not see it.
    expect((await ok(sim, "ListClusters")).clusterArns).toEqual([]);
    const sameScope = await call(sim, "ListClusters", {}, headers);
    expect(sameScope.body.clusterArns).toEqual(["arn:aws:ecs:eu-west-1:123456789012:cluster/iso"]);
    const otherRegion = await call(sim, "ListClusters", {}, { authorization: authFor("123456789012", "us-west-2") });
    expect(otherRegion.body.clusterArns).toEqual([]);
  });

  it("uses the default account and region without a credential scope", async () => {
    const res = await sim.simulator.app.inject({
      method: "POST",
      url: "/",
      headers: { "x-amz-target": TARGET + "CreateCluster", "content-type": "application/x-amz-json-1.1" },
      payload: JSON.stringify({ clusterName: "anon" }),
    });
    expect(JSON.parse(res.body).cluster.clusterArn).toBe("arn:aws:ecs:us-east-1:000000000000:cluster/anon");
  });
});
