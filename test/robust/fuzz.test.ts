import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ECS_OPERATIONS } from "../../src/api/operation.js";
import { Messages } from "../../src/errors/messages.js";
import type { RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, call, FARGATE_DEF, ok, useVirtualSim } from "../helpers/sim.js";

/**
 * Property: whatever an ECS operation is sent, the answer is never a 5xx, an error is always a
 * well-formed AWS error, and a refused request leaves the state dump as it was. Seeded and
 * bounded (runs and time) so it fits in `npm test`; on a failure fast-check prints the seed,
 * path and smallest counterexample it found.
 */
let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

const CLUSTER_ARN = "arn:aws:ecs:us-east-1:000000000000:cluster/c";

/** Near-valid requests, so that mutations reach the checks behind the schema. */
const BASES: Record<string, Record<string, unknown>> = {
  CreateCluster: { clusterName: "fz", tags: [{ key: "k", value: "v" }] },
  UpdateCluster: { cluster: "c", settings: [{ name: "containerInsights", value: "enabled" }] },
  DeleteCluster: { cluster: "c" },
  DescribeClusters: { clusters: ["c"], include: ["TAGS"] },
  RegisterTaskDefinition: FARGATE_DEF,
  DescribeTaskDefinition: { taskDefinition: "web:1" },
  DeregisterTaskDefinition: { taskDefinition: "web:1" },
  RunTask: { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, launchType: "FARGATE" },
  StopTask: { cluster: "c", task: "0123456789abcdef" },
  DescribeTasks: { cluster: "c", tasks: ["0123456789abcdef"] },
  ListTasks: { cluster: "c", maxResults: 10 },
  CreateService: { cluster: "c", serviceName: "fzs", taskDefinition: "web", desiredCount: 0, networkConfiguration: AWSVPC },
  UpdateService: { cluster: "c", service: "s", desiredCount: 0 },
  DeleteService: { cluster: "c", service: "s" },
  DescribeServices: { cluster: "c", services: ["s"] },
  TagResource: { resourceArn: CLUSTER_ARN, tags: [{ key: "a", value: "b" }] },
  UntagResource: { resourceArn: CLUSTER_ARN, tagKeys: ["k"] },
  PutAccountSetting: { name: "containerInsights", value: "enabled" },
  PutClusterCapacityProviders: { cluster: "c", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] },
  UpdateTaskProtection: { cluster: "c", tasks: ["0123456789abcdef"], protectionEnabled: true },
};

const MEMBERS = [
  "cluster", "clusterName", "clusters", "taskDefinition", "family", "containerDefinitions", "cpu", "memory", "count",
  "tasks", "task", "service", "services", "serviceName", "desiredCount", "tags", "resourceArn", "tagKeys", "include",
  "maxResults", "nextToken", "launchType", "networkConfiguration", "overrides", "capacityProviders", "settings",
  "configuration", "name", "value", "startedBy", "group", "reason", "taskSet", "status", "requiresCompatibilities",
  "networkMode", "deploymentConfiguration", "loadBalancers", "capacityProviderStrategy", "protectionEnabled",
  "expiresInMinutes", "familyPrefix", "sort", "principalArn", "force", "forceNewDeployment", "ephemeralStorage",
  "__proto__", "constructor", "toString",
];

const nasty = fc.constantFrom<unknown>(
  1e308, -1e308, -1, 0, 2 ** 31, 2 ** 53 + 1, 0.5, "", "a\u0000b", "x\r\ny", " ", "\ud800", "🙂".repeat(300),
  "x".repeat(70_000), [], {}, null, true, [null], { __proto__: { polluted: true } }, "arn:aws:ecs:us-east-1:000000000000:cluster/c",
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.record({ name: fc.string(), value: fc.jsonValue({ maxDepth: 1 }) }), { maxLength: 3 }) },
);

/** A request body as text: garbage, a non-object, or a near-valid object with members replaced, removed or added. */
function bodyFor(operation: string): fc.Arbitrary<string> {
  const base = Object.hasOwn(BASES, operation) ? BASES[operation]! : {};
  const mutated = fc
    .record({
      set: fc.array(fc.tuple(fc.constantFrom(...MEMBERS, ...Object.keys(base)), value), { maxLength: 3 }),
      drop: fc.subarray(Object.keys(base)),
    })
    .map(({ set, drop }) => {
      const o: Record<string, unknown> = structuredClone(base);
      for (const k of drop) delete o[k];
      for (const [k, v] of set) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return JSON.stringify(o);
    });
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? "null") },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...MEMBERS, "configuration"), fc.integer({ min: 30, max: 12_000 }), fc.boolean())
        .map(([member, depth, objects]) => {
          const [open, close] = objects ? ['{"a":', "}"] : ["[", "]"];
          return `{${JSON.stringify(member)}:${open.repeat(depth)}1${close.repeat(depth)}}`;
        }),
    },
  );
}

/** Every number stored is a Java int that is not negative: sizes, counts, ports, timestamps (epoch s). */
function badNumbers(value: unknown, path = "", out: string[] = []): string[] {
  if (typeof value === "number" && (value < 0 || value > 2 ** 31 - 1 || !Number.isFinite(value))) out.push(`${path}=${value}`);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) badNumbers(v, `${path}.${k}`, out);
  return out;
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

async function stateDump(): Promise<string> {
  const res = await admin(sim, "GET", "/_sim/state");
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

describe("fuzz: malformed requests to every implemented operation", () => {
  let implemented: string[] = [];
  beforeAll(async () => {
    await sim.reset();
    const notThere = new Set<string>();
    for (const op of ECS_OPERATIONS) {
      const res = await call(sim, op, {});
      if (res.body?.message === Messages.notImplemented(op)) notThere.add(op);
    }
    implemented = ECS_OPERATIONS.filter((op) => !notThere.has(op));
  });

  it("no 5xx, every error well-formed, refused requests change nothing", async () => {
    expect(implemented.length).toBeGreaterThan(30);
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "CreateService", { cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 0, networkConfiguration: AWSVPC });

    const operation = fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...implemented) },
      { weight: 1, arbitrary: fc.constantFrom("constructor", "toString", "__proto__", "hasOwnProperty", "valueOf") },
    );
    const request = operation.chain((op) => fc.tuple(fc.constant(op), bodyFor(op)));
    await fc.assert(
      fc.asyncProperty(request, async ([operation, body]) => {
        await settle();
        const before = await stateDump();
        const res = await call(sim, operation, body);
        expect(res.status, `${operation} ${body.slice(0, 200)}`).toBeLessThan(500);
        if (res.status !== 200) {
          expect(res.body).toEqual({ __type: expect.stringMatching(/^[A-Za-z]+$/), message: expect.any(String), ...(res.body.resourceIds ? { resourceIds: expect.any(Array) } : {}) });
          expect(res.headers["x-amzn-errortype"]).toBe(res.body.__type);
          expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
          expect(res.body.message).not.toMatch(/\n\s+at /);
          expect(await stateDump(), `${operation} changed state and answered ${res.body.__type}`).toBe(before);
        } else {
          expect(badNumbers(JSON.parse(await stateDump())), `${operation} stored ${body.slice(0, 200)}`).toEqual([]);
        }
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      { seed: 20261202, numRuns: 600, interruptAfterTimeLimit: 25_000, markInterruptAsFailure: false, endOnFailure: true },
    );
  }, 60_000);
});
