import { describe, expect, it, vi } from "vitest";
import { RealClock, VirtualClock } from "../../src/core/clock.js";
import { SeededRandom } from "../../src/core/random.js";
import { TimerQueue } from "../../src/core/timer-queue.js";

function drain(queue: TimerQueue, limit = Infinity): { id: number; at: number; seq: number }[] {
  const out = [];
  for (let t = queue.popDue(limit); t; t = queue.popDue(limit)) out.push({ id: t.id, at: t.at, seq: t.seq });
  return out;
}

describe("timer queue", () => {
  it("pops in (due time, creation order) whatever the insertion pattern, skipping cancelled timers", () => {
    const random = new SeededRandom(7);
    const queue = new TimerQueue();
    const expected: { id: number; at: number; seq: number }[] = [];
    for (let id = 0; id < 2000; id++) {
      const at = random.int(0, 50);
      const timer = queue.add(id, at, () => undefined);
      if (id % 3 === 0) queue.cancel(id);
      else expected.push({ id, at, seq: timer.seq });
    }
    expected.sort((a, b) => a.at - b.at || a.seq - b.seq);
    expect(queue.size).toBe(expected.length);
    expect(drain(queue)).toEqual(expected);
    expect(queue.size).toBe(0);
  });

  it("stops at the limit and keeps later timers", () => {
    const queue = new TimerQueue();
    queue.add(1, 30, () => undefined);
    queue.add(2, 10, () => undefined);
    queue.add(3, 20, () => undefined);
    expect(drain(queue, 20).map((t) => t.id)).toEqual([2, 3]);
    expect(queue.size).toBe(1);
    expect(queue.peek()?.id).toBe(1);
  });

  it("rebuilds after mass cancellation and still orders correctly", () => {
    const queue = new TimerQueue();
    for (let id = 0; id < 1000; id++) queue.add(id, 1000 - id, () => undefined);
    for (let id = 0; id < 1000; id++) if (id % 10 !== 0) queue.cancel(id);
    expect(queue.size).toBe(100);
    const ids = drain(queue).map((t) => t.id);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => 990 - i * 10));
  });

  it("cancelling twice or an unknown id changes nothing", () => {
    const queue = new TimerQueue();
    queue.add(1, 5, () => undefined);
    queue.cancel(2);
    queue.cancel(1);
    queue.cancel(1);
    expect(queue.size).toBe(0);
    expect(queue.peek()).toBeUndefined();
  });
});

describe("clocks over the queue", () => {
  it("the virtual clock fires only the due timers of many pending ones, in order", async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    for (let i = 0; i < 10_000; i++) clock.setTimeout(() => fired.push(i), 1_000_000 + i);
    clock.setTimeout(() => fired.push(-2), 5);
    clock.setTimeout(() => fired.push(-1), 5);
    await clock.advance(10);
    expect(fired).toEqual([-2, -1]);
    expect(clock.pendingTimers()).toBe(10_000);
  });

  it("the real clock fires ties in creation order and honours cancellation", async () => {
    // Fake timers hold wall time still between the calls, so equal delays really tie.
    vi.useFakeTimers();
    try {
      const clock = new RealClock();
      const fired: string[] = [];
      clock.setTimeout(() => fired.push("a"), 5);
      const gone = clock.setTimeout(() => fired.push("never"), 5);
      clock.setTimeout(() => fired.push("b"), 5);
      clock.setTimeout(() => fired.push("first"), 0);
      clock.clearTimeout(gone);
      await vi.advanceTimersByTimeAsync(6);
      expect(fired).toEqual(["first", "a", "b"]);
      expect(clock.pendingTimers()).toBe(0);
      clock.clearAll();
    } finally {
      vi.useRealTimers();
    }
  });
});
