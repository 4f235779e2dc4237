import { describe, expect, it } from "vitest";
import { buildEnvelope, clusterArnOf, clusterMatches, envelopeTime, isoMillis } from "../../src/events/envelope.js";
import { SeededRandom } from "../../src/core/random.js";
import { taskStateChangeDetail } from "../../src/events/task-state-change.js";
import { DOC_EXAMPLE_EVENT, docExampleTask, makeHub, simpleTask } from "./fixtures.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("ECS Task State Change envelope", () => {
  it("reproduces the AWS documentation example field by field", () => {
    const { hub, publishTask } = makeHub({}, { startMs: Date.parse("2020-01-23T17:57:58.103Z") });
    publishTask(docExampleTask());
    const [event] = hub.list();
    expect(event).toBeDefined();
    const { id, ...rest } = event!;
    expect(id).toMatch(UUID);
    expect(rest).toEqual(DOC_EXAMPLE_EVENT);
    // Same top-level order as EventBridge prints it.
    expect(Object.keys(event!)).toEqual(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]);
  });

  it("omits what the event never carries: task health, container health, tags", () => {
    const detail = taskStateChangeDetail(docExampleTask(), 0);
    expect(detail).not.toHaveProperty("healthStatus");
    expect(detail).not.toHaveProperty("tags");
    expect((detail.containers as Record<string, unknown>[])[0]).not.toHaveProperty("healthStatus");
  });

  it("renders every timestamp as an ISO string with milliseconds, and the envelope time without", () => {
    const task = {
      ...simpleTask("c1", "t1", "STOPPED"),
      desiredStatus: "STOPPED",
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 5)),
      stoppingAt: new Date(Date.UTC(2026, 0, 1, 0, 1, 0, 0)),
      executionStoppedAt: new Date(Date.UTC(2026, 0, 1, 0, 1, 1, 250)),
      stoppedAt: new Date(Date.UTC(2026, 0, 1, 0, 1, 2, 999)),
      stopCode: "SpotInterruption" as const,
      stoppedReason: "Your Spot Task was interrupted.",
      capacityProviderName: "FARGATE_SPOT",
      containers: [
        {
          name: "prefect",
          lastStatus: "STOPPED",
          exitCode: 143,
          managedAgents: [{ name: "ExecuteCommandAgent" as const, lastStatus: "STOPPED", lastStartedAt: new Date(Date.UTC(2026, 0, 1)) }],
        },
      ],
    };
    const detail = taskStateChangeDetail(task, Date.UTC(2026, 0, 1, 0, 1, 3, 7));
    expect(detail).toMatchObject({
      createdAt: "2026-01-01T00:00:00.005Z",
      stoppingAt: "2026-01-01T00:01:00.000Z",
      executionStoppedAt: "2026-01-01T00:01:01.250Z",
      stoppedAt: "2026-01-01T00:01:02.999Z",
      updatedAt: "2026-01-01T00:01:03.007Z",
      stopCode: "SpotInterruption",
      stoppedReason: "Your Spot Task was interrupted.",
      capacityProviderName: "FARGATE_SPOT",
      desiredStatus: "STOPPED",
      lastStatus: "STOPPED",
    });
    expect(detail.containers).toEqual([
      {
        name: "prefect",
        lastStatus: "STOPPED",
        exitCode: 143,
        managedAgents: [{ name: "ExecuteCommandAgent", lastStatus: "STOPPED", lastStartedAt: "2026-01-01T00:00:00.000Z" }],
      },
    ]);
    expect(JSON.stringify(detail)).not.toMatch(/"\d{10}(\.\d+)?"|:\d{10}\.\d+/);
    expect(envelopeTime(Date.UTC(2026, 0, 1, 0, 0, 0, 999))).toBe("2026-01-01T00:00:00Z");
    expect(isoMillis(undefined)).toBeUndefined();
    expect(isoMillis(Date.UTC(2026, 0, 1))).toBe("2026-01-01T00:00:00.000Z");
  });

  it("keeps a task that failed to start with containers [] (Prefect checks that)", () => {
    const detail = taskStateChangeDetail({ ...simpleTask("c", "t", "STOPPED"), stopCode: "TaskFailedToStart" }, 0);
    expect(detail.containers).toEqual([]);
  });

  it("draws ids from the seeded random, so the same seed replays the same ids", () => {
    const a = buildEnvelope({ detailType: "X", account: "1", region: "r", resources: [], detail: {}, timeMs: 0, random: new SeededRandom(7) });
    const b = buildEnvelope({ detailType: "X", account: "1", region: "r", resources: [], detail: {}, timeMs: 0, random: new SeededRandom(7) });
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(UUID);
  });

  it("finds the cluster of service events from detail.clusterArn or the service ARN", () => {
    const base = { version: "0" as const, id: "x", "detail-type": "ECS Deployment State Change", source: "aws.ecs" as const, account: "1", time: "", region: "us-west-2" };
    expect(clusterArnOf({ ...base, resources: ["arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"], detail: {} })).toBe(
      "arn:aws:ecs:us-west-2:111122223333:cluster/default",
    );
    expect(clusterArnOf({ ...base, resources: [], detail: { clusterArn: "arn:aws:ecs:r:1:cluster/z" } })).toBe("arn:aws:ecs:r:1:cluster/z");
    expect(clusterMatches("arn:aws:ecs:r:1:cluster/z", "z")).toBe(true);
    expect(clusterMatches("arn:aws:ecs:r:1:cluster/z", "arn:aws:ecs:r:1:cluster/z")).toBe(true);
    expect(clusterMatches("arn:aws:ecs:r:1:cluster/zz", "z")).toBe(false);
    expect(clusterMatches(undefined, "z")).toBe(false);
  });
});
