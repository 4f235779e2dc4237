import { describe, expect, it } from "vitest";
import { RealClock, VirtualClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/events.js";
import { SeededRandom } from "../../src/core/random.js";
import { ClientException } from "../../src/errors/aws-errors.js";
import { Messages } from "../../src/errors/messages.js";
import { parseQuotasConfig } from "../../src/quotas/config.js";
import { LimitsEngine } from "../../src/quotas/engine.js";
import { SCOPE, START, makeEngine } from "./helpers.js";

function register(engine: LimitsEngine, family: string, n: number): { ok: number; errors: unknown[] } {
  let ok = 0;
  const errors: unknown[] = [];
  for (let i = 0; i < n; i++) {
    try {
      engine.admitRegistration(SCOPE, family, `req-${family}-${i}`);
      ok++;
    } catch (e) {
      errors.push(e);
    }
  }
  return { ok, errors };
}

describe("per-family registration window", () => {
  it("20 concurrent registrations of one family: 1 accepted, 19 refused; another family is free", () => {
    const { engine, published } = makeEngine();
    const first = register(engine, "prefect_pool_abc", 20);
    expect(first.ok).toBe(1);
    expect(first.errors).toHaveLength(19);
    for (const e of first.errors) {
      expect(e).toBeInstanceOf(ClientException);
      expect((e as ClientException).message).toBe(Messages.tooManyConcurrentRegistrations);
      expect((e as ClientException).status).toBe(400);
    }
    expect(register(engine, "other_family", 1).ok).toBe(1);
    expect(published).toHaveLength(19);
    expect(published[0]).toMatchObject({ kind: "contention", operation: "RegisterTaskDefinition", allowed: false });
  });

  it("the window starts at each accepted registration and refusals do not extend it", async () => {
    const { engine, clock } = makeEngine({ registrationWindowMs: 1000 });
    expect(register(engine, "fam", 1).ok).toBe(1);
    await clock.advance(999);
    expect(register(engine, "fam", 1).ok).toBe(0);
    await clock.advance(1);
    expect(register(engine, "fam", 3).ok).toBe(1);
    await clock.advance(500);
    expect(engine.usage().registrationWindows).toEqual([
      { account: SCOPE.account, region: SCOPE.region, family: "fam", remainingMs: 500 },
    ]);
  });

  it("with a 1 s window, 20 registrations spread 100 ms apart: one per second gets through", async () => {
    const { engine, clock } = makeEngine({ registrationWindowMs: 1000 });
    let ok = 0;
    for (let i = 0; i < 20; i++) {
      ok += register(engine, "fam", 1).ok;
      await clock.advance(100);
    }
    // Accepted at t = 0, 1000 ms (i = 0, 10).
    expect(ok).toBe(2);
  });

  it("the window is configurable, per Region, and 0 disables it", () => {
    const { engine } = makeEngine({ registrationWindowMs: 0, regions: { "eu-west-1": { registrationWindowMs: 5000 } } });
    expect(register(engine, "fam", 5).ok).toBe(5);
    let refused = 0;
    for (let i = 0; i < 5; i++) {
      try {
        engine.admitRegistration({ ...SCOPE, region: "eu-west-1" }, "fam", `r${i}`);
      } catch {
        refused++;
      }
    }
    expect(refused).toBe(4);
  });

  it("keys windows by account", () => {
    const { engine } = makeEngine();
    engine.admitRegistration(SCOPE, "fam", "a");
    expect(() => engine.admitRegistration({ ...SCOPE, account: "210987654321" }, "fam", "b")).not.toThrow();
  });

  it("an accepted registration is answered when its window ends, with the family free again", async () => {
    const { engine, clock } = makeEngine({ registrationWindowMs: 100 });
    let answered = false;
    void engine.admitRegistration(SCOPE, "fam", "a").then(() => (answered = true));
    await clock.advance(99);
    expect(answered).toBe(false);
    await clock.advance(1);
    expect(answered).toBe(true);
    expect(engine.usage().registrationWindows).toEqual([]);
    expect(() => engine.admitRegistration(SCOPE, "fam", "b")).not.toThrow();
  });

  it("under a virtual clock, a wall clock ends the window too, so nobody waits on a clock nobody moves", async () => {
    const wall = new RealClock();
    const engine = new LimitsEngine({
      clock: new VirtualClock(START),
      wall,
      random: new SeededRandom(1),
      bus: new EventBus(),
      config: parseQuotasConfig({ registrationWindowMs: 20 }),
    });
    await engine.admitRegistration(SCOPE, "fam", "a");
    await engine.admitRegistration(SCOPE, "fam", "b");
    expect(engine.usage().registrationWindows).toEqual([]);
    wall.clearAll();
  });

  it("reset answers registrations in flight", async () => {
    const { engine } = makeEngine({ registrationWindowMs: 60_000 });
    const pending = engine.admitRegistration(SCOPE, "fam", "a");
    engine.reset();
    await pending;
    expect(() => engine.admitRegistration(SCOPE, "fam", "b")).not.toThrow();
  });
});
