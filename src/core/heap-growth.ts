import v8 from "node:v8";

/**
 * How far V8 lets the heap grow past what survived the last full collection before collecting
 * again, in percent. V8's own choice goes up to 300 % for a process that allocates fast, so a
 * simulator holding 100k tasks (about 400 MB live) sat near 1 GB of RSS, most of it garbage not
 * yet collected. 30 % kept it under 600 MB in the scale bench for about 10 % more server CPU per
 * RunTask. Applied by the command line only: an embedding process keeps its own heap policy.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 30;

/**
 * The V8 flag to set, or undefined to leave V8 alone: when node was started with its own
 * `--heap-growing-percent`, or when ECS_SIM_HEAP_GROWING_PERCENT is 0 (V8's default policy).
 */
export function heapGrowingFlag(execArgv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (execArgv.some((a) => a.startsWith("--heap-growing-percent") || a.startsWith("--heap_growing_percent"))) return undefined;
  const raw = env.ECS_SIM_HEAP_GROWING_PERCENT?.trim();
  const percent = raw === undefined || raw === "" ? DEFAULT_HEAP_GROWING_PERCENT : Number(raw);
  if (!Number.isInteger(percent) || percent < 0) throw new Error(`ECS_SIM_HEAP_GROWING_PERCENT must be a whole number >= 0, not "${raw}"`);
  return percent === 0 ? undefined : `--heap-growing-percent=${percent}`;
}

export function applyHeapGrowth(execArgv: readonly string[], env: NodeJS.ProcessEnv): void {
  const flag = heapGrowingFlag(execArgv, env);
  if (flag) v8.setFlagsFromString(flag);
}
