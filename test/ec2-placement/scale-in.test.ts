import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { chooseTasksToStop, type StoppableTask } from "../../src/scheduler/ec2-placement/index.js";
import { ARN_PREFIX, instance, sequence } from "./fixtures.js";

const t = (taskArn: string, id: string, size = { cpu: 256, memory: 512 }): StoppableTask => ({ taskArn, instanceArn: `${ARN_PREFIX}${id}`, ...size });
const AZ_SPREAD = { type: "spread", field: "attribute:ecs.availability-zone" } as const;

describe("scale-in: which tasks a service stops", () => {
  const cluster = [instance("a1", { az: "us-east-1a" }), instance("a2", { az: "us-east-1a" }), instance("b1", { az: "us-east-1b" })];

  it("spread keeps the zones balanced: the zone with the most tasks loses one first", () => {
    const tasks = [t("x1", "a1"), t("x2", "a1"), t("x3", "a2"), t("y1", "b1")];
    // Zone a has 3, zone b 1: two stops come from zone a, drawn at random within it.
    const stopped = chooseTasksToStop(cluster, tasks, 2, [AZ_SPREAD], sequence([0.5, 0.2, 0.9, 0.1, 0.7, 0.3, 0.4]));
    expect(stopped).toHaveLength(2);
    expect(stopped.every((arn) => arn.startsWith("x"))).toBe(true);
    // Within the zone the draw decides: x2 drew 0.2, the lowest of zone a on the first pass.
    expect(stopped[0]).toBe("x2");
  });

  it("binpack stops the task whose instance has the most free once it is gone", () => {
    const loaded = [instance("a1", { used: { memory: 6000 } }), instance("a2", { used: { memory: 1000 } })];
    const tasks = [t("on-full", "a1"), t("on-empty", "a2")];
    expect(chooseTasksToStop(loaded, tasks, 1, [{ type: "binpack", field: "memory" }], sequence([0.5]))).toEqual(["on-empty"]);
  });

  it("spread on instanceId then replays by seed", () => {
    const tasks = [t("1", "a1"), t("2", "a1"), t("3", "a1"), t("4", "a2"), t("5", "b1")];
    const run = (seed: number) => {
      const rng = new SeededRandom(seed);
      return chooseTasksToStop(cluster, tasks, 3, [{ type: "spread", field: "instanceId" }], () => rng.float());
    };
    expect(run(3)).toEqual(run(3));
    // a1 holds 3 tasks: the first two stops come from it, then every instance holds one.
    for (const seed of [1, 2, 3, 4]) expect(run(seed).slice(0, 2).every((arn) => ["1", "2", "3"].includes(arn)), String(seed)).toBe(true);
  });

  it("never stops more than there are", () => {
    expect(chooseTasksToStop(cluster, [t("only", "a1")], 5, [], sequence([0.1]))).toEqual(["only"]);
  });
});
