import { describe, expect, it } from "vitest";
import { placeTasks, targetSplit } from "../../src/scheduler/placement.js";

const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

describe("capacity provider placement", () => {
  it("FARGATE base 1 + FARGATE_SPOT weight 3: 8 tasks split 1 + 7 at 1:3 by largest remainder", () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    // 7 after the base: exact shares 1.75 and 5.25 -> 1 and 5, the leftover goes to the larger remainder.
    expect(count(placeTasks(strategy, 8))).toEqual({ FARGATE: 3, FARGATE_SPOT: 5 });
    expect(placeTasks(strategy, 8)).toEqual(placeTasks(strategy, 8));
    expect(placeTasks(strategy, 1)).toEqual(["FARGATE"]);
  });

  it("gives weight-0 providers nothing, unless they are the only ones", () => {
    expect(count(placeTasks([{ capacityProvider: "FARGATE", weight: 0 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }], 4))).toEqual({ FARGATE_SPOT: 4 });
    expect(count(placeTasks([{ capacityProvider: "FARGATE_SPOT", weight: 0 }], 3))).toEqual({ FARGATE_SPOT: 3 });
  });

  it("a base larger than the count takes everything", () => {
    expect(count(placeTasks([{ capacityProvider: "FARGATE", base: 5 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }], 3))).toEqual({ FARGATE: 3 });
  });

  it("keeps the split as a group grows from existing counts", () => {
    const strategy = [{ capacityProvider: "FARGATE", weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }];
    const existing = new Map([["FARGATE", 3], ["FARGATE_SPOT", 1]]);
    expect(count(placeTasks(strategy, 2, existing))).toEqual({ FARGATE_SPOT: 2 });
    expect(targetSplit(strategy, 6)).toEqual(new Map([["FARGATE", 3], ["FARGATE_SPOT", 3]]));
  });
});
