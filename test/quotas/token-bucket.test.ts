import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../src/quotas/token-bucket.js";

describe("TokenBucket", () => {
  it("admits exactly burst at once, then refills at the sustained rate", () => {
    const t0 = 1_000_000;
    const b = new TokenBucket({ burst: 20, sustained: 1 }, t0);
    let ok = 0;
    for (let i = 0; i < 25; i++) if (b.tryTake(t0)) ok++;
    expect(ok).toBe(20);
    expect(b.tryTake(t0 + 999)).toBe(false);
    expect(b.tryTake(t0 + 1000)).toBe(true);
    expect(b.tryTake(t0 + 1000)).toBe(false);
    // 7.5 s later: 7 whole tokens.
    let later = 0;
    for (let i = 0; i < 10; i++) if (b.tryTake(t0 + 8500)) later++;
    expect(later).toBe(7);
  });

  it("never holds more than its capacity", () => {
    const b = new TokenBucket({ burst: 5, sustained: 10 }, 0);
    expect(b.tokens(3_600_000)).toBe(5);
  });

  it("refill with a fractional rate is exact at whole-token points", () => {
    const b = new TokenBucket({ burst: 1, sustained: 0.5 }, 0);
    expect(b.tryTake(0)).toBe(true);
    expect(b.tryTake(1999)).toBe(false);
    expect(b.tryTake(2000)).toBe(true);
    expect(b.msUntil(2000)).toBe(2000);
  });

  it("takes several tokens all or nothing", () => {
    const b = new TokenBucket({ burst: 10, sustained: 1 }, 0);
    expect(b.tryTake(0, 8)).toBe(true);
    expect(b.tryTake(0, 3)).toBe(false);
    expect(b.tokens(0)).toBe(2);
  });

  it("reconfigure credits earned tokens and clamps to the new capacity", () => {
    const b = new TokenBucket({ burst: 10, sustained: 1 }, 0);
    for (let i = 0; i < 10; i++) b.tryTake(0);
    b.reconfigure({ burst: 3, sustained: 100 }, 5000); // 5 tokens earned at the old rate, clamped to 3
    expect(b.tokens(5000)).toBe(3);
    expect(b.spec).toEqual({ burst: 3, sustained: 100 });
  });

  it("ignores a clock stepping backwards", () => {
    const b = new TokenBucket({ burst: 2, sustained: 1 }, 10_000);
    b.tryTake(10_000);
    b.tryTake(10_000);
    expect(b.tryTake(5_000)).toBe(false);
    expect(b.tryTake(11_000)).toBe(true);
  });
});
