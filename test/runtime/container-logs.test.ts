import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { LogStore } from "../../src/logs/store.js";
import { ContainerLogs } from "../../src/runtime/container-logs.js";
import { taskSpec } from "../docker/helpers.js";

describe("ContainerLogs", () => {
  it("keeps only the most recent containers' local output, so a long run stays bounded; awslogs streams are never dropped", () => {
    const clock = new VirtualClock(0);
    const cloudwatch = new LogStore(clock);
    const local = new LogStore(clock);
    cloudwatch.createGroup("/ecs/kept");
    const logs = new ContainerLogs({ cloudwatch, local, autoCreateGroups: false, localStreamsKept: 2 });
    const awslogs = { logDriver: "awslogs" as const, options: { "awslogs-group": "/ecs/kept", "awslogs-stream-prefix": "ecs" } };
    const specs = [1, 2, 3].map(() => taskSpec([{ name: "plain" }, { name: "logged", logConfiguration: awslogs }]));
    const opened = specs.map((spec) => {
      const d = logs.open(spec).get("plain")!;
      d.store.append(d.group, d.stream, "line");
      return d;
    });

    expect(opened.map((d) => local.getStream(d.group, d.stream) !== undefined)).toEqual([false, true, true]);
    expect(cloudwatch.getGroup("/ecs/kept")!.streams.size).toBe(3);
  });
});
