/**
 * Throttle accuracy bench: drives the built limits engine with the real clock under sustained
 * over-limit load and checks that admissions follow burst + rate * elapsed (target: within 2 %).
 * Needs `npm run build` first (imports ../dist). Run alone: `node bench/throttle.mjs`.
 */
import { pathToFileURL } from "node:url";
import { RealClock } from "../dist/core/clock.js";
import { EventBus } from "../dist/core/events.js";
import { SeededRandom } from "../dist/core/random.js";
import { categoryOf } from "../dist/quotas/api-buckets.js";
import { parseQuotasConfig } from "../dist/quotas/config.js";
import { LimitsEngine } from "../dist/quotas/engine.js";

const SCOPE = { account: "000000000000", region: "us-east-1" };

/**
 * @param {{ durationMs?: number, operation?: string, callsPerTick?: number }} [options]
 *   durationMs: load duration (default 10 000 ms of real time); operation: the ECS action
 *   hammered (default DescribeTasks: burst 100, 20/s); callsPerTick: calls per event-loop turn.
 */
export async function runThrottleBench(options = {}) {
  const durationMs = options.durationMs ?? 10_000;
  const operation = options.operation ?? "DescribeTasks";
  const callsPerTick = options.callsPerTick ?? 50;
  const clock = new RealClock();
  const engine = new LimitsEngine({
    clock,
    random: new SeededRandom(1),
    bus: new EventBus(),
    config: parseQuotasConfig({ profile: "aws-default", decisionLogSize: 1000 }),
  });
  const spec = engine.getQuotas(SCOPE).effective.buckets;
  const bucketId = categoryOf(operation);
  const { burst, sustained } = spec[bucketId];

  let accepted = 0;
  let refused = 0;
  const start = clock.now();
  let last = start;
  while (clock.now() - start < durationMs) {
    for (let i = 0; i < callsPerTick; i++) {
      try {
        engine.admitApiCall(SCOPE, operation, "bench");
        accepted++;
      } catch {
        refused++;
      }
    }
    last = clock.now();
    // Yield so timers and I/O run, as they would between real requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const elapsedMs = last - start;
  const expected = burst + (sustained * elapsedMs) / 1000;
  const errorPct = (Math.abs(accepted - expected) / expected) * 100;
  return {
    bench: "throttle",
    operation,
    bucket: bucketId,
    burst,
    sustained,
    elapsedMs,
    calls: accepted + refused,
    callsPerSec: Math.round(((accepted + refused) * 1000) / Math.max(1, elapsedMs)),
    accepted,
    expected: Math.round(expected * 100) / 100,
    errorPct: Math.round(errorPct * 1000) / 1000,
    withinTarget: errorPct <= 2,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runThrottleBench();
  console.log(JSON.stringify(result));
  if (!result.withinTarget) process.exitCode = 1;
}
