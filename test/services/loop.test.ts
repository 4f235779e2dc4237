import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { createReconcileLoop } from "../../src/scheduler/services/loop.js";
import type { ServiceRecord } from "../../src/state/store.js";

const scope = { account: "000000000000", region: "us-east-1" };

function setup() {
  const clock = new VirtualClock(0);
  const records = new Map<string, ServiceRecord>();
  const steady = new Set<string>();
  const passes: string[] = [];
  for (const arn of ["a", "b"]) records.set(arn, { service: { serviceArn: arn, status: "ACTIVE" }, clusterName: "c", taskSets: [], internal: {} });
  const loop = createReconcileLoop({
    clock,
    logger: silentLogger,
    intervalMs: 100,
    load: (_scope, arn) => records.get(arn),
    reconcile: (r) => passes.push(r.service.serviceArn!),
    isQuiet: (r) => steady.has(r.service.serviceArn!),
    quietEvery: 4,
  });
  return { clock, loop, steady, passes };
}

describe("reconcile loop", () => {
  it("ticks every live service until it is steady, then only as a backstop or when kicked", async () => {
    const { clock, loop, steady, passes } = setup();
    steady.add("a");
    loop.track("a", scope);
    loop.track("b", scope);
    await clock.advance(0);
    expect(passes).toEqual(["a", "b"]);
    passes.length = 0;
    await clock.advance(300);
    // Three ticks: only the unsettled service is visited.
    expect(passes).toEqual(["b", "b", "b"]);
    passes.length = 0;
    await clock.advance(100);
    // The fourth tick is the backstop: everyone.
    expect(passes).toEqual(["a", "b"]);
    passes.length = 0;
    loop.kick("a");
    await clock.advance(0);
    expect(passes).toEqual(["a"]);
    passes.length = 0;
    // No longer steady after a kicked pass: back on every tick.
    steady.delete("a");
    loop.kick("a");
    await clock.advance(100);
    expect(passes).toEqual(["a", "a", "b"]);
    loop.dispose();
  });
});
