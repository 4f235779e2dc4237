import { durationMs } from "../../core/duration.js";

/**
 * A simulated container's load, from ECS_SIM_CPU / ECS_SIM_MEMORY: percent of the task's
 * reservation it uses, either a constant (`45`) or steps over time since the container started
 * (`20,80@60s,10@5m`: 20 from the start, 80 from one minute, 10 from five). Every value after the
 * first needs its offset; a profile that does not parse means no load (0), never a guess.
 */
export interface LoadStep {
  atMs: number;
  percent: number;
}

export function parseLoadProfile(text: string | undefined): LoadStep[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const steps: LoadStep[] = [];
  for (const [i, part] of text.split(",").entries()) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*(?:@\s*(\S+))?\s*$/.exec(part);
    if (!m) return undefined;
    const atMs = m[2] !== undefined ? durationMs(m[2]) : i === 0 ? 0 : undefined;
    if (atMs === undefined) return undefined;
    steps.push({ atMs, percent: Number(m[1]) });
  }
  return steps.sort((a, b) => a.atMs - b.atMs);
}

/** The percent in force `elapsedMs` after the container started (0 before its first step). */
export function loadAt(steps: LoadStep[] | undefined, elapsedMs: number): number {
  let value = 0;
  for (const s of steps ?? []) {
    if (s.atMs > elapsedMs) break;
    value = s.percent;
  }
  return value;
}
