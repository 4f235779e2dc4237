import { ECSServiceException, RegisterTaskDefinitionCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import type { LimitDecision } from "../../src/core/events.js";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import type { SimConfigInput } from "../../src/config.js";
import { call, ecsClient, FARGATE_DEF } from "../helpers/sim.js";

/**
 * An accepted RegisterTaskDefinition is in flight for `quotas.registrationWindowMs` and answers when
 * that ends, so only calls that overlap collide: a client that waits for each answer never does.
 */
const CONTENTION = "Too many concurrent attempts to create a new revision of the specified family.";

let sim: RunningSimulator | undefined;
let ecs: ECSClient | undefined;
afterEach(async () => {
  ecs?.destroy();
  ecs = undefined;
  await sim?.close();
  sim = undefined;
});

type Outcome = { ok: true; revision: number } | { ok: false; name: string; message: string };

function register(client: ECSClient, family = "flow"): Promise<Outcome> {
  return client.send(new RegisterTaskDefinitionCommand({ ...(FARGATE_DEF as Record<string, unknown>), family } as never)).then(
    (r) => ({ ok: true as const, revision: r.taskDefinition!.revision! }),
    (e: ECSServiceException) => ({ ok: false as const, name: e.name, message: e.message }),
  );
}

/** The default window, with a task-definition bucket roomy enough to keep throttling out of the picture. */
async function start(config: SimConfigInput, window?: number): Promise<{ sim: RunningSimulator; ecs: ECSClient }> {
  sim = await startSimulator({
    runtime: "simulated",
    seed: 3,
    ...config,
    quotas: {
      profile: "aws-default",
      recordAdmissions: true,
      ...(window !== undefined ? { registrationWindowMs: window } : {}),
      overrides: { buckets: { "task-definition-modify": { burst: 10_000, sustained: 10_000 } } },
    },
  });
  ecs = ecsClient(sim.endpoint, { maxAttempts: 1 });
  return { sim, ecs };
}

/** Resolves once `count` RegisterTaskDefinition decisions matching `allowed` have been made. */
function decisions(s: RunningSimulator, allowed: boolean, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const off = s.simulator.ctx.bus.subscribe("limit.decision", (d: LimitDecision) => {
      if (d.operation !== "RegisterTaskDefinition" || d.allowed !== allowed) return;
      if (++seen === count) {
        off();
        resolve();
      }
    });
  });
}

describe("a client that waits for each answer never collides", () => {
  for (const clock of ["real", "virtual"] as const) {
    it(`50 registrations of one family in a row, default window, ${clock} clock: all accepted, revisions 1..50`, async () => {
      const { ecs } = await start({ clock });
      const revisions: number[] = [];
      for (let i = 0; i < 50; i++) {
        const r = await register(ecs);
        expect(r).toMatchObject({ ok: true });
        revisions.push((r as { revision: number }).revision);
      }
      expect(revisions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  }

  it("virtual clock: the answer is due when virtual time reaches the end of the window", async () => {
    // A window far beyond the test timeout: only the virtual clock can end it in time.
    const { sim, ecs } = await start({ clock: "virtual" }, 600_000);
    const accepted = decisions(sim, true, 1);
    let answered = false;
    const pending = register(ecs).then((r) => ((answered = true), r));
    await accepted;
    await sim.advanceClock(599_999);
    expect(answered).toBe(false);
    const usage = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/usage" })).json();
    expect(usage.registrationWindows).toEqual([expect.objectContaining({ family: "flow", remainingMs: 1 })]);
    await sim.advanceClock(1);
    expect(await pending).toEqual({ ok: true, revision: 1 });
    // Answered means no longer in flight: the next call goes through.
    const next = decisions(sim, true, 1);
    const second = register(ecs);
    await next;
    await sim.advanceClock(600_000);
    expect(await second).toEqual({ ok: true, revision: 2 });
  });
});

describe("calls that overlap collide with AWS's exact error", () => {
  it("virtual clock: of 6 calls sent together one is accepted, 5 refused; the next burst gets the next revision", async () => {
    const { sim, ecs } = await start({ clock: "virtual" }, 10_000);
    for (const expected of [1, 2]) {
      const admitted = decisions(sim, true, 1);
      const refused = decisions(sim, false, 5);
      const calls = Array.from({ length: 6 }, () => register(ecs));
      await Promise.all([admitted, refused]);
      await sim.advanceClock(10_000);
      const results = await Promise.all(calls);
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, revision: expected }]);
      const losers = results.filter((r) => !r.ok);
      expect(losers).toHaveLength(5);
      for (const l of losers) expect(l).toEqual({ ok: false, name: "ClientException", message: CONTENTION });
    }
  });

  it("real clock: calls sent together while one is in flight are refused; another family is free", async () => {
    const { ecs } = await start({ clock: "real" }, 1000);
    const results = await Promise.all([...Array.from({ length: 5 }, () => register(ecs)), register(ecs, "other")]);
    const hot = results.slice(0, 5);
    expect(hot.filter((r) => r.ok)).toEqual([{ ok: true, revision: 1 }]);
    for (const l of hot.filter((r) => !r.ok)) expect(l).toEqual({ ok: false, name: "ClientException", message: CONTENTION });
    expect(results[5]).toEqual({ ok: true, revision: 1 });
  });

  it("raw HTTP: the refusal is a 400 with AWS's error body, and the family is free once the first is answered", async () => {
    const { sim } = await start({ clock: "virtual" }, 5000);
    const accepted = decisions(sim, true, 1);
    const first = call(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await accepted;
    const second = await call(sim, "RegisterTaskDefinition", FARGATE_DEF);
    expect(second.status).toBe(400);
    expect(second.headers["x-amzn-errortype"]).toBe("ClientException");
    expect(second.body).toEqual({ __type: "ClientException", message: CONTENTION });
    await sim.advanceClock(5000);
    expect((await first).body.taskDefinition.revision).toBe(1);
    const third = call(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await sim.advanceClock(5000);
    expect((await third).body.taskDefinition.revision).toBe(2);
  });
});
