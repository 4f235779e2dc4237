import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { LogStore } from "../../src/logs/store.js";
import { handleLogsOperation } from "../../src/logs/operations.js";
import { matchesFilterPattern } from "../../src/logs/filter-pattern.js";
import { containerLogLocation } from "../../src/logs/naming.js";
import type { AwsError } from "../../src/errors/aws-errors.js";

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = new LogStore(clock);
  for (let i = 0; i < 5; i++) store.append("/ecs/app", "ecs/web/t1", `line ${i}`, 1000 + i);
  store.append("/ecs/app", "ecs/worker/t1", "ERROR boom", 1002);
  return { clock, store };
}

function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    return e as AwsError;
  }
  throw new Error("expected an error");
}

type Page = { events: { message: string; timestamp: number }[]; nextForwardToken: string; nextBackwardToken: string };

describe("Logs_20140328 operations", () => {
  it("creates groups and streams and refuses duplicates with AWS's errors", () => {
    const { store } = setup();
    expect(handleLogsOperation("Logs_20140328.CreateLogGroup", { logGroupName: "/new" }, store)).toEqual({});
    const dup = errorOf(() => handleLogsOperation("CreateLogGroup", { logGroupName: "/new" }, store));
    expect(dup.code).toBe("ResourceAlreadyExistsException");
    const missing = errorOf(() => handleLogsOperation("CreateLogStream", { logGroupName: "/nope", logStreamName: "s" }, store));
    expect(missing.toBody()).toEqual({ __type: "ResourceNotFoundException", message: "The specified log group does not exist." });
    const noStream = errorOf(() => handleLogsOperation("GetLogEvents", { logGroupName: "/ecs/app", logStreamName: "x" }, store));
    expect(noStream.message).toBe("The specified log stream does not exist.");
  });

  it("describes streams by name or last event time", () => {
    const { store } = setup();
    const out = handleLogsOperation("DescribeLogStreams", { logGroupName: "/ecs/app", logStreamNamePrefix: "ecs/web" }, store) as {
      logStreams: { logStreamName: string; firstEventTimestamp: number; lastEventTimestamp: number; arn: string }[];
    };
    expect(out.logStreams).toHaveLength(1);
    expect(out.logStreams[0]).toMatchObject({ logStreamName: "ecs/web/t1", firstEventTimestamp: 1000, lastEventTimestamp: 1004 });
    expect(out.logStreams[0]!.arn).toBe("arn:aws:logs:us-east-1:000000000000:log-group:/ecs/app:log-stream:ecs/web/t1");
    const byTime = handleLogsOperation("DescribeLogStreams", { logGroupName: "/ecs/app", orderBy: "LastEventTime", descending: true }, store) as {
      logStreams: { logStreamName: string }[];
    };
    expect(byTime.logStreams.map((s) => s.logStreamName)).toEqual(["ecs/web/t1", "ecs/worker/t1"]);
  });

  it("pages GetLogEvents forward and backward with stable tokens", () => {
    const { store } = setup();
    const get = (extra: Record<string, unknown>) =>
      handleLogsOperation("GetLogEvents", { logGroupName: "/ecs/app", logStreamName: "ecs/web/t1", limit: 2, ...extra }, store) as Page;
    const head = get({ startFromHead: true });
    expect(head.events.map((e) => e.message)).toEqual(["line 0", "line 1"]);
    const next = get({ nextToken: head.nextForwardToken });
    expect(next.events.map((e) => e.message)).toEqual(["line 2", "line 3"]);
    const last = get({ nextToken: next.nextForwardToken });
    expect(last.events.map((e) => e.message)).toEqual(["line 4"]);
    const end = get({ nextToken: last.nextForwardToken });
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(last.nextForwardToken);

    const tail = get({});
    expect(tail.events.map((e) => e.message)).toEqual(["line 3", "line 4"]);
    const before = get({ nextToken: tail.nextBackwardToken });
    expect(before.events.map((e) => e.message)).toEqual(["line 1", "line 2"]);

    const ranged = get({ startFromHead: true, startTime: 1001, endTime: 1003, limit: 10 });
    expect(ranged.events.map((e) => e.message)).toEqual(["line 1", "line 2"]);

    // New events appear after the forward token, as a tailing client expects.
    store.append("/ecs/app", "ecs/web/t1", "line 5", 1005);
    expect(get({ nextToken: end.nextForwardToken }).events.map((e) => e.message)).toEqual(["line 5"]);
  });

  it("filters across streams by pattern and time, merged in time order", () => {
    const { store } = setup();
    const all = handleLogsOperation("FilterLogEvents", { logGroupName: "/ecs/app" }, store) as { events: { logStreamName: string; message: string }[] };
    expect(all.events.map((e) => e.message)).toEqual(["line 0", "line 1", "line 2", "ERROR boom", "line 3", "line 4"]);
    const errors = handleLogsOperation("FilterLogEvents", { logGroupName: "/ecs/app", filterPattern: "ERROR" }, store) as {
      events: { logStreamName: string }[];
    };
    expect(errors.events.map((e) => e.logStreamName)).toEqual(["ecs/worker/t1"]);
    const paged = handleLogsOperation("FilterLogEvents", { logGroupName: "/ecs/app", limit: 4 }, store) as { nextToken?: string };
    const rest = handleLogsOperation("FilterLogEvents", { logGroupName: "/ecs/app", limit: 4, nextToken: paged.nextToken }, store) as {
      events: unknown[];
      nextToken?: string;
    };
    expect(rest.events).toHaveLength(2);
    expect(rest.nextToken).toBeUndefined();
  });

  it("understands the text filter pattern subset", () => {
    expect(matchesFilterPattern('ERROR "disk full"', "ERROR: disk full on /")).toBe(true);
    expect(matchesFilterPattern('ERROR "disk full"', "ERROR: disk ok")).toBe(false);
    expect(matchesFilterPattern("?WARN ?ERROR", "a WARN b")).toBe(true);
    expect(matchesFilterPattern("ERROR -retry", "ERROR will retry")).toBe(false);
  });

  it("names awslogs streams <prefix>/<container>/<task id>", () => {
    expect(
      containerLogLocation({
        clusterName: "c",
        family: "f",
        taskId: "abc",
        containerName: "web",
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/f", "awslogs-stream-prefix": "ecs" } },
      }),
    ).toEqual({ group: "/ecs/f", stream: "ecs/web/abc", awslogs: true });
    expect(containerLogLocation({ clusterName: "c", family: "f", taskId: "abc", containerName: "web" })).toEqual({
      group: "/ecs-sim/c",
      stream: "f/web/abc",
      awslogs: false,
    });
  });
});
