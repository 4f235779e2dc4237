import { describe, expect, it } from "vitest";
import type { LimitDecision } from "../../src/core/events.js";
import { createLogger } from "../../src/core/logger.js";
import { limitDecisionLogger } from "../../src/quotas/refusal-log.js";

function decision(extra: Partial<LimitDecision> = {}): LimitDecision {
  return { time: 0, account: "000000000000", region: "us-east-1", operation: "DescribeTasks", kind: "throttle", limit: "cluster-resource-read", allowed: false, ...extra };
}

describe("limit decision log lines", () => {
  it("folds a flood of throttles of one limit into one line a second, with the count of the folded ones", () => {
    const lines: string[] = [];
    let now = 0;
    const log = limitDecisionLogger(createLogger({ level: "info", format: "text", now: () => now, write: (l) => lines.push(l) }), () => now);
    for (let i = 0; i < 5; i++) log(decision());
    log(decision({ operation: "ListTasks" }));
    log(decision({ operation: "RunTask", kind: "vcpu-quota", limit: "fargate-on-demand-vcpu" }));
    log(decision({ operation: "RunTask", kind: "vcpu-quota", limit: "fargate-on-demand-vcpu" }));
    expect(lines.filter((l) => l.includes("refused: DescribeTasks"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("refused: ListTasks"))).toHaveLength(1);
    // Only bucket throttles fold: quota refusals are rare and each one matters.
    expect(lines.filter((l) => l.includes("vcpu-quota"))).toHaveLength(2);
    now = 1_000;
    log(decision());
    const last = lines.filter((l) => l.includes("refused: DescribeTasks")).at(-1)!;
    expect(last).toContain("alsoRefusedInPreviousSecond");
    expect(last).toContain("4");
  });
});
