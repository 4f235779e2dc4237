import { describe, expect, it } from "vitest";
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingFlag } from "../../src/core/heap-growth.js";

describe("heap growth policy of the command line", () => {
  it("bounds the heap's growth by default", () => {
    expect(heapGrowingFlag([], {})).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
  });

  it("takes ECS_SIM_HEAP_GROWING_PERCENT, and 0 leaves V8's own policy", () => {
    expect(heapGrowingFlag([], { ECS_SIM_HEAP_GROWING_PERCENT: "50" })).toBe("--heap-growing-percent=50");
    expect(heapGrowingFlag([], { ECS_SIM_HEAP_GROWING_PERCENT: "0" })).toBeUndefined();
  });

  it("leaves a node flag given by the operator alone", () => {
    expect(heapGrowingFlag(["--heap-growing-percent=80"], {})).toBeUndefined();
  });

  it("refuses a value that is not a whole number", () => {
    expect(() => heapGrowingFlag([], { ECS_SIM_HEAP_GROWING_PERCENT: "lots" })).toThrow(/whole number/);
  });
});
