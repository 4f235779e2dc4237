import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, call, FARGATE_DEF, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

const app = FARGATE_DEF.containerDefinitions[0]!;
const withContainer = (extra: Record<string, unknown>) => ({ ...FARGATE_DEF, containerDefinitions: [{ ...app, ...extra }] });
const run = (extra: Record<string, unknown>) => ({ cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, ...extra });

/** [operation, body, member path AWS names, constraint text] */
const REFUSED: [string, Record<string, unknown>, string, string][] = [
  ["RegisterTaskDefinition", withContainer({ cpu: -1 }), "containerDefinitions.1.member.cpu", "greater than or equal to 0"],
  ["RegisterTaskDefinition", withContainer({ memory: -5 }), "containerDefinitions.1.member.memory", "greater than or equal to 0"],
  ["RegisterTaskDefinition", withContainer({ memory: 1e308 }), "containerDefinitions.1.member.memory", "less than or equal to 2147483647"],
  ["RegisterTaskDefinition", withContainer({ memoryReservation: 1e308 }), "containerDefinitions.1.member.memoryReservation", "less than or equal to 2147483647"],
  ["RegisterTaskDefinition", withContainer({ stopTimeout: -1 }), "containerDefinitions.1.member.stopTimeout", "greater than or equal to 0"],
  ["RegisterTaskDefinition", withContainer({ image: "busybox\r\nlatest" }), "containerDefinitions.1.member.image", "regular expression pattern"],
  ["RegisterTaskDefinition", withContainer({ environment: [{ name: "A\u0000", value: "x" }] }), "containerDefinitions.1.member.environment.1.member.name", "regular expression pattern"],
  ["RegisterTaskDefinition", { ...FARGATE_DEF, tags: [{ key: "k\u0000", value: "v" }] }, "tags.1.member.key", "regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"],
  ["RegisterTaskDefinition", { ...FARGATE_DEF, tags: [{ key: "k", value: "v\r\n" }] }, "tags.1.member.value", "regular expression pattern"],
  ["RegisterTaskDefinition", { ...FARGATE_DEF, ephemeralStorage: { sizeInGiB: 1e308 } }, "ephemeralStorage.sizeInGiB", "less than or equal to 2147483647"],
  ["CreateCluster", { clusterName: "x", tags: [{ key: "k\n", value: "v" }] }, "tags.1.member.key", "regular expression pattern"],
  ["RunTask", run({ count: 1e308 }), "count", "less than or equal to 2147483647"],
  ["RunTask", run({ startedBy: "a\u0000b" }), "startedBy", "regular expression pattern"],
  ["RunTask", run({ group: "g\r\n" }), "group", "regular expression pattern"],
  ["RunTask", run({ overrides: { containerOverrides: [{ name: "app", memory: -5 }] } }), "overrides.containerOverrides.1.member.memory", "greater than or equal to 0"],
  ["RunTask", run({ overrides: { containerOverrides: [{ name: "app", cpu: 1e308 }] } }), "overrides.containerOverrides.1.member.cpu", "less than or equal to 2147483647"],
  ["CreateService", { cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 1e308, networkConfiguration: AWSVPC }, "desiredCount", "less than or equal to 2147483647"],
  ["ListTasks", { cluster: "c", maxResults: 1e308 }, "maxResults", "less than or equal to 2147483647"],
  ["TagResource", { resourceArn: "arn:aws:ecs:us-east-1:000000000000:cluster/c", tags: [{ key: "k\u0000", value: "v" }] }, "tags.1.member.key", "regular expression pattern"],
  ["PutAccountSetting", { name: "awsvpcTrunking", value: "enabled\r\n" }, "value", "regular expression pattern"],
];

describe("AWS's ranges and patterns", () => {
  for (const [operation, body, path, constraint] of REFUSED) {
    it(`${operation}: ${path} (${constraint.slice(0, 40)})`, async () => {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      const before = (await admin(sim, "GET", "/_sim/state")).body;
      const res = await call(sim, operation, body);
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      expect(res.body.message).toContain(`at '${path}' failed to satisfy constraint: Member must`);
      expect(res.body.message).toContain(constraint);
      expect((await admin(sim, "GET", "/_sim/state")).body).toEqual(before);
    });
  }

  it("ordinary names, unicode tag values and multi-line environment values still pass", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c", tags: [{ key: "team name", value: "Zürich / ops@x=1+2" }] });
    await ok(
      sim,
      "RegisterTaskDefinition",
      withContainer({ environment: [{ name: "PEM", value: "-----BEGIN-----\nabc\n-----END-----" }], cpu: 0, memory: 512 }),
    );
  });
});
