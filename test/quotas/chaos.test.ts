import { describe, expect, it } from "vitest";
import { ServerException, ThrottlingException } from "../../src/errors/aws-errors.js";
import { Messages } from "../../src/errors/messages.js";
import { SCOPE, makeEngine } from "./helpers.js";

function outcomes(seed: number, n: number): string[] {
  const { engine } = makeEngine(
    { profile: "unlimited", chaos: { DescribeTasks: { throttleProbability: 0.2, serverErrorProbability: 0.1 } } },
    seed,
  );
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      engine.admitApiCall(SCOPE, "DescribeTasks", `r${i}`);
      out.push("ok");
    } catch (e) {
      if (e instanceof ThrottlingException) {
        expect(e.message).toBe(Messages.rateExceeded);
        out.push("throttle");
      } else if (e instanceof ServerException) {
        expect(e.message).toBe(Messages.serverUnavailable);
        expect(e.status).toBe(500);
        out.push("server");
      } else throw e;
    }
  }
  return out;
}

describe("chaos", () => {
  it("is deterministic for a seed and follows the configured probabilities", () => {
    const a = outcomes(7, 2000);
    expect(outcomes(7, 2000)).toEqual(a);
    expect(outcomes(8, 2000)).not.toEqual(a);
    const throttles = a.filter((x) => x === "throttle").length;
    const servers = a.filter((x) => x === "server").length;
    // Loose bounds: 2000 draws at p = 0.2 / 0.1 (about 5 standard deviations).
    expect(throttles).toBeGreaterThan(310);
    expect(throttles).toBeLessThan(490);
    expect(servers).toBeGreaterThan(135);
    expect(servers).toBeLessThan(265);
  });

  it("only touches configured operations and draws nothing for the others", () => {
    const { engine } = makeEngine({ chaos: { DescribeTasks: { throttleProbability: 1 } } }, 1);
    expect(() => engine.admitApiCall(SCOPE, "DescribeTasks", "r")).toThrow(ThrottlingException);
    expect(() => engine.admitApiCall(SCOPE, "ListTasks", "r")).not.toThrow();
    expect(engine.decisions()).toEqual([
      expect.objectContaining({ kind: "chaos", limit: "chaos-throttle", operation: "DescribeTasks", allowed: false }),
    ]);
  });

  it('"*" applies to every operation without its own rule; putQuotas changes chaos at once', () => {
    const { engine } = makeEngine({ chaos: { "*": { serverErrorProbability: 1 }, ListTasks: {} } });
    expect(() => engine.admitApiCall(SCOPE, "DescribeClusters", "r")).toThrow(ServerException);
    expect(() => engine.admitApiCall(SCOPE, "ListTasks", "r")).not.toThrow();
    engine.putQuotas({ chaos: { "*": { serverErrorProbability: 0 } } });
    expect(() => engine.admitApiCall(SCOPE, "DescribeClusters", "r")).not.toThrow();
  });
});
