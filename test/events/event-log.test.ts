import { describe, expect, it } from "vitest";
import { EventLog } from "../../src/events/event-log.js";
import type { EcsEventEnvelope } from "../../src/events/envelope.js";

function ev(id: string, detailType = "ECS Task State Change", cluster = "a"): EcsEventEnvelope {
  return {
    version: "0",
    id,
    "detail-type": detailType,
    source: "aws.ecs",
    account: "000000000000",
    time: "2026-01-01T00:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${cluster}` },
  };
}

function fill(log: EventLog, n: number, start = 0): void {
  for (let i = start; i < start + n; i++) {
    const e = ev(`e${i}`, i % 2 ? "ECS Service Action" : "ECS Task State Change", i % 3 ? "a" : "b");
    log.append(e, 1000 + i, (e.detail as { clusterArn: string }).clusterArn);
  }
}

describe("EventLog", () => {
  it("never holds more than its capacity and keeps the newest, oldest first", () => {
    const log = new EventLog(5);
    fill(log, 12);
    expect(log.size).toBe(5);
    expect(log.list().map((e) => e.id)).toEqual(["e7", "e8", "e9", "e10", "e11"]);
  });

  it("defaults to 10,000 events", () => {
    const log = new EventLog();
    fill(log, 10_005);
    expect(log.size).toBe(10_000);
    expect(log.list()[0]!.id).toBe("e5");
  });

  it("lists events after an event id, or all retained ones when the id was evicted", () => {
    const log = new EventLog(5);
    fill(log, 8);
    expect(log.list({ since: "e5" }).map((e) => e.id)).toEqual(["e6", "e7"]);
    expect(log.list({ since: "e7" })).toEqual([]);
    expect(log.list({ since: "e0" }).map((e) => e.id)).toEqual(["e3", "e4", "e5", "e6", "e7"]);
  });

  it("lists events recorded at or after an epoch-ms time", () => {
    const log = new EventLog(100);
    fill(log, 10);
    expect(log.list({ since: 1007 }).map((e) => e.id)).toEqual(["e7", "e8", "e9"]);
  });

  it("filters by detail-type and by cluster name or ARN, and limits to the newest", () => {
    const log = new EventLog(100);
    fill(log, 10);
    expect(log.list({ detailTypes: ["ECS Service Action"] }).map((e) => e.id)).toEqual(["e1", "e3", "e5", "e7", "e9"]);
    expect(log.list({ clusters: ["b"] }).map((e) => e.id)).toEqual(["e0", "e3", "e6", "e9"]);
    expect(log.list({ clusters: ["arn:aws:ecs:us-east-1:000000000000:cluster/b"], detailTypes: ["ECS Task State Change"] }).map((e) => e.id)).toEqual([
      "e0",
      "e6",
    ]);
    expect(log.list({ limit: 2 }).map((e) => e.id)).toEqual(["e8", "e9"]);
  });

  it("rejects a nonsensical capacity and can be cleared", () => {
    expect(() => new EventLog(0)).toThrow(RangeError);
    const log = new EventLog(3);
    fill(log, 4);
    log.clear();
    expect(log.size).toBe(0);
    expect(log.list()).toEqual([]);
    fill(log, 1);
    expect(log.list().map((e) => e.id)).toEqual(["e0"]);
  });
});
