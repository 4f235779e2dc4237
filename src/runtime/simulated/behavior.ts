import { durationMs } from "../../core/duration.js";
import type { SimulatedRule } from "../../config.js";
import type { SeededRandom } from "../../core/random.js";
import { Messages } from "../../errors/messages.js";
import type { RuntimeContainerSpec, RuntimeTaskSpec } from "../types.js";
import { parseLoadProfile, type LoadStep } from "./load-profile.js";

/**
 * What a simulated container does, decided per container from (first match wins):
 *   1. ECS_SIM_* variables in the container's environment (task definition or overrides);
 *   2. the first matching rule of the config file (cluster, family, container name, tags);
 *   3. the default: run until stopped, exit 143 on SIGTERM.
 * Durations accept plain milliseconds or a unit: "1500", "1.5s", "2m".
 */
export interface ContainerBehavior {
  /** Runs this long then exits on its own; undefined = until stopped. */
  runMs?: number;
  exitCode: number;
  onSigterm: "exit" | "ignore";
  sigtermDelayMs: number;
  pullError: boolean;
  /** Reported health when the container has a health check. */
  health: "HEALTHY" | "UNHEALTHY";
  /** Exit reason, e.g. to simulate an OOM kill. */
  reason?: string;
  /** What it writes to its log; undefined = one line describing the simulation. */
  log?: LogLine[];
  /** Its CPU and memory use (percent of the task's reservation) over time; none = 0. */
  cpuLoad?: LoadStep[];
  memoryLoad?: LoadStep[];
}

/** One line of a simulated container's output, written `delayMs` after the line before it. */
export interface LogLine {
  delayMs: number;
  message: string;
}

export const BEHAVIOR_ENV = {
  runMs: "ECS_SIM_RUN_MS",
  exitCode: "ECS_SIM_EXIT_CODE",
  onSigterm: "ECS_SIM_ON_SIGTERM",
  sigtermDelayMs: "ECS_SIM_SIGTERM_DELAY_MS",
  pullError: "ECS_SIM_PULL_ERROR",
  health: "ECS_SIM_HEALTH",
  oom: "ECS_SIM_OOM",
  log: "ECS_SIM_LOG",
  cpu: "ECS_SIM_CPU",
  memory: "ECS_SIM_MEMORY",
} as const;

export interface BehaviorDefaults {
  onSigterm: "exit" | "ignore";
  sigtermDelayMs: number;
}

export function resolveBehavior(
  task: RuntimeTaskSpec,
  container: RuntimeContainerSpec,
  rules: SimulatedRule[],
  defaults: BehaviorDefaults,
  random: SeededRandom,
): ContainerBehavior {
  const behavior: ContainerBehavior = {
    exitCode: 0,
    onSigterm: defaults.onSigterm,
    sigtermDelayMs: defaults.sigtermDelayMs,
    pullError: false,
    health: "HEALTHY",
  };
  const rule = rules.find((r) => matches(r, task, container));
  if (rule) applyRule(behavior, rule, random);
  applyEnvironment(behavior, container, random);
  return shared(behavior);
}

/**
 * Most containers behave alike (no rule, no ECS_SIM_* variables): they share one frozen
 * behavior instead of each keeping a copy; nothing changes a behavior once resolved.
 */
const sharedBehaviors = new Map<string, ContainerBehavior>();
const PLAIN_BEHAVIOR_KEYS = 5;

function shared(b: ContainerBehavior): ContainerBehavior {
  if (Object.keys(b).length !== PLAIN_BEHAVIOR_KEYS) return b;
  const key = `${b.exitCode}|${b.onSigterm}|${b.sigtermDelayMs}|${b.pullError}|${b.health}`;
  let found = sharedBehaviors.get(key);
  if (!found) {
    if (sharedBehaviors.size >= 1_000) sharedBehaviors.clear();
    found = Object.freeze(b);
    sharedBehaviors.set(key, found);
  }
  return found;
}

function matches(rule: SimulatedRule, task: RuntimeTaskSpec, container: RuntimeContainerSpec): boolean {
  const m = rule.match;
  if (m.cluster !== undefined && m.cluster !== task.clusterName) return false;
  if (m.family !== undefined && m.family !== task.family) return false;
  if (m.container !== undefined && m.container !== container.name) return false;
  if (m.tags) {
    for (const [key, value] of Object.entries(m.tags)) {
      if (!task.tags.some((t) => t.key === key && t.value === value)) return false;
    }
  }
  return true;
}

function applyRule(b: ContainerBehavior, rule: SimulatedRule, random: SeededRandom): void {
  if (rule.outcomes && rule.outcomes.length > 0) {
    const outcome = random.weighted(rule.outcomes);
    if (outcome.runMs !== undefined) b.runMs = random.jitter(outcome.runMs, outcome.jitterMs);
    b.exitCode = outcome.exitCode;
  } else {
    if (rule.runMs !== undefined) b.runMs = random.jitter(rule.runMs, rule.jitterMs);
    if (rule.exitCode !== undefined) b.exitCode = rule.exitCode;
  }
  if (rule.onSigterm) b.onSigterm = rule.onSigterm;
  if (rule.sigtermDelayMs !== undefined) b.sigtermDelayMs = rule.sigtermDelayMs;
  if (rule.pullError) b.pullError = true;
  if (rule.health) b.health = rule.health;
  if (rule.oom) killForMemory(b);
  if (rule.log !== undefined) b.log = parseLogScript(Array.isArray(rule.log) ? rule.log.join("\n") : rule.log, random);
}

function applyEnvironment(b: ContainerBehavior, container: RuntimeContainerSpec, random: SeededRandom): void {
  const env = new Map(container.environment.map((e) => [e.name ?? "", e.value ?? ""]));
  const run = env.get(BEHAVIOR_ENV.runMs);
  if (run !== undefined) b.runMs = parseDuration(run, random);
  const code = env.get(BEHAVIOR_ENV.exitCode);
  if (code !== undefined && /^-?\d+$/.test(code.trim())) b.exitCode = parseInt(code, 10);
  const sigterm = env.get(BEHAVIOR_ENV.onSigterm);
  if (sigterm === "exit" || sigterm === "ignore") b.onSigterm = sigterm;
  const delay = env.get(BEHAVIOR_ENV.sigtermDelayMs);
  if (delay !== undefined) b.sigtermDelayMs = parseDuration(delay, random) ?? b.sigtermDelayMs;
  if (isTrue(env.get(BEHAVIOR_ENV.pullError))) b.pullError = true;
  const health = env.get(BEHAVIOR_ENV.health)?.trim().toUpperCase();
  if (health === "HEALTHY" || health === "UNHEALTHY") b.health = health;
  if (isTrue(env.get(BEHAVIOR_ENV.oom))) killForMemory(b);
  const log = env.get(BEHAVIOR_ENV.log);
  if (log !== undefined) b.log = parseLogScript(log, random);
  const cpu = parseLoadProfile(env.get(BEHAVIOR_ENV.cpu));
  if (cpu) b.cpuLoad = cpu;
  const memory = parseLoadProfile(env.get(BEHAVIOR_ENV.memory));
  if (memory) b.memoryLoad = memory;
}

/** Killed at its run time when it has one, else as soon as it starts: OOM alone must end it. */
function killForMemory(b: ContainerBehavior): void {
  b.exitCode = 137;
  b.reason = Messages.outOfMemory;
  b.runMs ??= 0;
}

/**
 * The ECS_SIM_LOG format: one log event per line. A line may start with `+<duration> ` to be
 * written that long after the line before it (`+2s step two`); a leading backslash escapes a
 * line that really begins with `+` (`\+1 is one`). An empty value writes nothing.
 */
export function parseLogScript(text: string, random?: SeededRandom): LogLine[] {
  if (text === "") return [];
  return text.split(/\r?\n/).map((raw) => {
    const delayed = /^\+(\S+)\s(.*)$/s.exec(raw);
    const delayMs = delayed ? parseDuration(delayed[1]!, random) : undefined;
    if (delayed && delayMs !== undefined) return { delayMs, message: delayed[2]! };
    return { delayMs: 0, message: raw.startsWith("\\") ? raw.slice(1) : raw };
  });
}

/** The line a simulated container writes when nobody scripted its output. */
export function describeBehavior(container: RuntimeContainerSpec, b: ContainerBehavior): string {
  const what = `ecs-sim: simulated container "${container.name}" (image ${container.image}); no process runs.`;
  const end =
    b.runMs === undefined
      ? `It runs until stopped (StopTask or the end of its task): set ${BEHAVIOR_ENV.runMs} (e.g. 30s) to make it exit on its own.`
      : b.reason
        ? `It is killed after ${b.runMs} ms with exit code ${b.exitCode} (${b.reason}).`
        : `It exits with code ${b.exitCode} after ${b.runMs} ms.`;
  return `${what} ${end} Set ${BEHAVIOR_ENV.log} to choose what it writes here.`;
}

/** "1500", "1.5s", "2m", "100ms", optionally with "±jitter" as "5s~2s". */
export function parseDuration(text: string, random?: SeededRandom): number | undefined {
  const [base, jitter] = text.split("~");
  const b = durationMs(base ?? "");
  if (b === undefined) return undefined;
  const j = jitter !== undefined ? durationMs(jitter) : undefined;
  return j && random ? random.jitter(b, j) : b;
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes)$/i.test(v.trim());
}
