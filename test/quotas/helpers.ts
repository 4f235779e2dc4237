import { VirtualClock } from "../../src/core/clock.js";
import { EventBus, type LimitDecision } from "../../src/core/events.js";
import { SeededRandom } from "../../src/core/random.js";
import { parseQuotasConfig, type QuotasConfigInput } from "../../src/quotas/config.js";
import { LimitsEngine } from "../../src/quotas/engine.js";
import type { LaunchRequest, Scope, VcpuClass } from "../../src/quotas/types.js";

export const SCOPE: Scope = { account: "123456789012", region: "us-east-1" };
export const START = Date.UTC(2026, 0, 1);

export function makeEngine(config: QuotasConfigInput = {}, seed = 42) {
  const clock = new VirtualClock(START);
  const bus = new EventBus();
  const published: LimitDecision[] = [];
  bus.subscribe("limit.decision", (d) => published.push(d));
  const engine = new LimitsEngine({ clock, random: new SeededRandom(seed), bus, config: parseQuotasConfig(config) });
  return { clock, bus, engine, published };
}

/** Calls admitApiCall `n` times at the current instant; returns how many were admitted. */
export function burst(engine: LimitsEngine, op: string, n: number, scope: Scope = SCOPE): number {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    try {
      engine.admitApiCall(scope, op, `req-${i}`);
      ok++;
    } catch {
      // counted as refused
    }
  }
  return ok;
}

export function launch(taskArn: string, vcpuClass: VcpuClass, vcpu = 1, memoryMiB = 2048): LaunchRequest {
  return { taskArn, vcpuClass, vcpu, memoryMiB, cluster: "default", operation: "RunTask", requestId: `r-${taskArn}` };
}
