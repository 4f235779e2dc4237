import { describe, expect, it } from "vitest";
import {
  capacityProviderReservation,
  evaluate,
  instancesNeeded,
  scaleOutStep,
  targetGroupSize,
  tasksPerInstance,
} from "../../src/autoscaling-groups/managed-scaling-math.js";

const STEP = { minimumScalingStepSize: 1, maximumScalingStepSize: 10_000 };
// An m5.large as the agent registers it: 2048 CPU units, 7680 MiB (rounded for the table).
const M5_LARGE = { cpu: 2048, memory: 7680 };

describe("CapacityProviderReservation (M / N x 100)", () => {
  // AWS's documented cases: nothing at all is 100, instances needed with none running is 200.
  it.each([
    [0, 0, 100],
    [1, 0, 200],
    [5, 0, 200],
    [2, 2, 100],
    [2, 4, 50],
    [3, 2, 150],
    [1, 3, 100 / 3],
  ])("M=%i N=%i -> %f", (m, n, metric) => {
    expect(capacityProviderReservation(m, n)).toBeCloseTo(metric, 9);
  });
});

describe("target tracking toward targetCapacity", () => {
  // targetCapacity 100 keeps no spare instance; 50 keeps one spare per busy instance; 90 keeps 10% spare.
  it.each([
    [4, 100, 4],
    [4, 50, 8],
    [9, 90, 10],
    [10, 90, 12],
    [1, 75, 2],
    [0, 100, 0],
    [3, 100, 3],
  ])("M=%i target=%i -> group size %i", (m, target, size) => {
    expect(targetGroupSize(m, target)).toBe(size);
  });
});

describe("scale-out step", () => {
  it.each([
    [0, 1, 10_000, 0],
    [3, 1, 10_000, 3],
    [1, 2, 10_000, 2],
    [25, 1, 10, 10],
    [5, 5, 5, 5],
  ])("needed %i with steps [%i, %i] -> %i", (needed, min, max, step) => {
    expect(scaleOutStep(needed, { minimumScalingStepSize: min, maximumScalingStepSize: max })).toBe(step);
  });
});

describe("instances needed for PROVISIONING tasks", () => {
  it("bin-packs each group of identical tasks and keeps the largest count", () => {
    expect(tasksPerInstance({ cpu: 512, memory: 1024 }, M5_LARGE)).toBe(4);
    expect(tasksPerInstance({ cpu: 256, memory: 4096 }, M5_LARGE)).toBe(1);
    const twenty = Array.from({ length: 20 }, () => ({ cpu: 512, memory: 1024 }));
    expect(instancesNeeded(twenty, M5_LARGE)).toBe(5);
    const mixed = [...twenty, { cpu: 256, memory: 4096 }, { cpu: 256, memory: 4096 }];
    expect(instancesNeeded(mixed, M5_LARGE)).toBe(5);
    const large = Array.from({ length: 7 }, () => ({ cpu: 256, memory: 4096 }));
    expect(instancesNeeded([...twenty, ...large], M5_LARGE)).toBe(7);
  });

  it("ignores tasks no instance of the type can ever hold", () => {
    expect(instancesNeeded([{ cpu: 4096, memory: 512 }], M5_LARGE)).toBe(0);
  });
});

describe("one evaluation", () => {
  const s = { targetCapacity: 100, ...STEP };
  it("scales out from zero instances when tasks wait", () => {
    const tasks = Array.from({ length: 20 }, () => ({ cpu: 512, memory: 1024 }));
    expect(evaluate([], tasks, M5_LARGE, s)).toMatchObject({ n: 0, m: 5, metric: 200, desired: 5 });
    expect(evaluate([], tasks, M5_LARGE, { ...s, maximumScalingStepSize: 2 })).toMatchObject({ m: 2, desired: 2 });
  });

  it("counts warming instances as coming capacity, so a scale-out is not repeated", () => {
    const tasks = Array.from({ length: 20 }, () => ({ cpu: 512, memory: 1024 }));
    const warming = Array.from({ length: 5 }, (_, i) => ({ id: `i${i}`, nonDaemonTasks: 0, warmingUp: true }));
    expect(evaluate(warming, tasks, M5_LARGE, s)).toMatchObject({ n: 5, m: 5, metric: 100, desired: 5 });
  });

  it("reports idle instances for scale-in and keeps busy ones", () => {
    const instances = [
      { id: "a", nonDaemonTasks: 3, warmingUp: false },
      { id: "b", nonDaemonTasks: 0, warmingUp: false },
      { id: "c", nonDaemonTasks: 0, warmingUp: false },
      { id: "d", nonDaemonTasks: 1, warmingUp: false },
    ];
    expect(evaluate(instances, [], M5_LARGE, s)).toEqual({ n: 4, m: 2, metric: 50, desired: 2, idle: ["b", "c"], busy: ["a", "d"] });
    expect(evaluate(instances, [], M5_LARGE, { ...s, targetCapacity: 50 })).toMatchObject({ metric: 50, desired: 4 });
  });
});
