import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { AWSVPC, authFor, ok, virtualSim } from "../helpers/sim.js";

const dir = join(import.meta.dirname, "../../fixtures/task-definitions");
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".json"));

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await virtualSim();
  await ok(sim, "CreateCluster", {});
});
afterAll(async () => {
  await sim.close();
});

async function createLogGroup(logGroupName: string): Promise<void> {
  const res = await sim.simulator.app.inject({
    method: "POST",
    url: "/",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.CreateLogGroup", authorization: authFor() },
    payload: JSON.stringify({ logGroupName }),
  });
  expect(res.statusCode).toBe(200);
}

describe("task definitions from real use", () => {
  it("has the three fixtures the project promises", () => {
    expect(fixtures.sort()).toEqual(["flask-api-service.json", "prefect-flow-run.json", "sample-website.json"]);
  });

  it.each(fixtures)("%s registers, describes as registered, and runs to RUNNING", async (file) => {
    const input = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const td = (await ok(sim, "RegisterTaskDefinition", input)).taskDefinition;
    expect(td.family).toBe(input.family);
    expect([td.cpu, td.memory]).toEqual([input.cpu, input.memory]);
    for (const [i, c] of input.containerDefinitions.entries()) {
      expect(td.containerDefinitions[i]).toMatchObject(c);
    }
    // As on AWS, an awslogs group must exist unless the definition lets the driver create it.
    for (const c of input.containerDefinitions) {
      const options = c.logConfiguration?.options ?? {};
      if (options["awslogs-group"] && options["awslogs-create-group"] !== "true") await createLogGroup(options["awslogs-group"]);
    }
    const run = await ok(sim, "RunTask", { taskDefinition: td.taskDefinitionArn, networkConfiguration: AWSVPC });
    expect(run.failures).toEqual([]);
    await sim.advanceClock(1000);
    const task = (await ok(sim, "DescribeTasks", { tasks: [run.tasks[0].taskArn] })).tasks[0];
    expect(task.lastStatus).toBe("RUNNING");
  });
});
