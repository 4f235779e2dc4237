/**
 * The log line of each limit decision, with floods folded: a client hammering a throttled bucket
 * would otherwise cost a formatted, written line per refused call (the largest share of a refusal's
 * CPU). The first refusal of a bucket logs at once; further ones of the same account, Region,
 * operation and limit within a second are counted and reported with the next line of that limit.
 * Every decision still reaches GET /_sim/throttles.
 */
import type { Logger } from "../core/logger.js";
import type { LimitDecision } from "../core/events.js";

const FOLD_MS = 1_000;

export function limitDecisionLogger(logger: Logger, now: () => number): (d: LimitDecision) => void {
  const folded = new Map<string, { since: number; count: number }>();
  return (d) => {
    if (logger.enabled?.("info") === false) return;
    let more = 0;
    if (!d.allowed && d.kind === "throttle") {
      const key = `${d.account}|${d.region}|${d.operation}|${d.limit}`;
      const t = now();
      const entry = folded.get(key);
      if (entry && t - entry.since < FOLD_MS) {
        entry.count++;
        return;
      }
      more = entry?.count ?? 0;
      folded.set(key, { since: t, count: 0 });
    }
    logger.info(`limit ${d.allowed ? "admitted" : "refused"}: ${d.operation} (${d.kind} ${d.limit})`, {
      account: d.account,
      region: d.region,
      requestId: d.requestId,
      ...(d.detail ? { detail: d.detail } : {}),
      ...(more ? { alsoRefusedInPreviousSecond: more } : {}),
    });
  };
}
