import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { SeededRandom } from "../../src/core/random.js";
import { parseDuration } from "../../src/runtime/simulated/behavior.js";

describe("virtual clock", () => {
  it("fires timers in due order (creation order on ties) only when advanced", async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push("b@20"), 20);
    clock.setTimeout(() => fired.push("a@10"), 10);
    clock.setTimeout(() => fired.push("c@20"), 20);
    const cancelled = clock.setTimeout(() => fired.push("never"), 15);
    clock.clearTimeout(cancelled);
    expect(fired).toEqual([]);
    await clock.advance(15);
    expect(fired).toEqual(["a@10"]);
    expect(clock.now()).toBe(15);
    await clock.advance(5);
    expect(fired).toEqual(["a@10", "b@20", "c@20"]);
  });

  it("runs timers scheduled by timers, and the promise work between them, within one advance", async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms));
    void (async () => {
      await sleep(10);
      fired.push(clock.now());
      await sleep(10);
      fired.push(clock.now());
    })();
    await clock.advance(100);
    expect(fired).toEqual([10, 20]);
    expect(clock.now()).toBe(100);
  });
});

describe("seeded random", () => {
  it("replays the same sequence for the same seed and forks independent streams", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    expect([a.hex(32), a.uuid(), a.int(0, 100)]).toEqual([b.hex(32), b.uuid(), b.int(0, 100)]);
    const fork1 = new SeededRandom(42).fork("events");
    const base = new SeededRandom(42);
    base.hex(64);
    expect(base.fork("events").hex(16)).toBe(fork1.hex(16));
    expect(new SeededRandom(42).fork("a").hex(16)).not.toBe(new SeededRandom(42).fork("b").hex(16));
    expect(a.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("parses simulated durations", () => {
    expect(parseDuration("1500")).toBe(1500);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("100ms")).toBe(100);
    expect(parseDuration("soon")).toBeUndefined();
  });
});
