#!/usr/bin/env node
import { parseCli, USAGE } from "./cli-args.js";
import { ZodError } from "zod";
import { ConfigError, formatZodIssues } from "./config.js";
import { ScenarioError } from "./scenario/parse.js";
import module from "node:module";
import { parseArgs } from "node:util";
import type { Simulator } from "./simulator.js";
import { flushLogs } from "./core/logger.js";
import { VERSION } from "./version.js";
import { applyHeapGrowth } from "./core/heap-growth.js";

async function main(): Promise<void> {
  try {
    applyHeapGrowth(process.execArgv, process.env);
  } catch (err) {
    process.stderr.write(`ecs-sim: ${(err as Error).message}\n`);
    process.exit(2);
  }
  if (process.argv[2] === "replay") return replay(process.argv.slice(3));
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    // A scenario or config file error names the file, line and field: no usage text to bury it.
    if (err instanceof ScenarioError || err instanceof ConfigError) {
      process.stderr.write(`ecs-sim: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`ecs-sim: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (parsed.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }

  // Node 22+ keeps compiled modules on disk, so a second start skips most of the compiling; the
  // simulator itself loads only now, so --help and --version answer without it.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { Simulator } = await import("./simulator.js");
  let sim: Simulator;
  try {
    sim = await Simulator.create(parsed.config);
  } catch (err) {
    const config = configProblem(err);
    if (config === undefined) throw err;
    process.stderr.write(`ecs-sim: ${config}\n`);
    process.exit(2);
  }
  // Signal handlers go in before the ready line: a supervisor that stops us as soon as it reads
  // the line must get a clean shutdown, not the default kill.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    sim.ctx.logger.info(`${signal} received, shutting down`);
    sim
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        process.stderr.write(`ecs-sim: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  let endpoint: string;
  try {
    endpoint = await sim.listen();
  } catch (err) {
    const problem = listenProblem(err, sim.config.host, sim.config.port);
    await sim.close().catch(() => undefined);
    if (problem === undefined) throw err;
    process.stderr.write(`ecs-sim: ${problem}\n`);
    process.exit(1);
  }
  if (parsed.scenario) {
    try {
      await sim.loadScenario(parsed.scenario, { settingsApplied: true });
    } catch (err) {
      process.stderr.write(`ecs-sim: ${(err as Error).message}\n`);
      await sim.close();
      process.exit(2);
    }
  }
  flushLogs();
  process.stdout.write(`ecs-sim ${VERSION} ready at ${endpoint} ${sim.readySummary()}\n`);
}

/** `ecs-sim replay TAPE [--against URL]`: exit 0 when every answer matches, 1 at the first that differs. */
async function replay(argv: string[]): Promise<void> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { against: { type: "string" } }, allowPositionals: true, strict: true }));
  } catch (err) {
    process.stderr.write(`ecs-sim replay: ${(err as Error).message}\n`);
    process.exit(2);
  }
  if (positionals.length !== 1) {
    process.stderr.write("Usage: ecs-sim replay <tape> [--against <url>]\n");
    process.exit(2);
  }
  const { formatReplay, replayTape, TapeError } = await import("./record/replay.js");
  try {
    const result = await replayTape(positionals[0]!, values.against ? { against: values.against } : {});
    process.stdout.write(`${formatReplay(result)}\n`);
    process.exit(result.mismatch ? 1 : 0);
  } catch (err) {
    if (err instanceof TapeError || err instanceof ConfigError || err instanceof ScenarioError) {
      process.stderr.write(`ecs-sim replay: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** A configuration mistake worth one line, or undefined for anything else (a bug: keep the stack). */
function configProblem(err: unknown): string | undefined {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof ZodError) return `invalid configuration: ${formatZodIssues(err)}`;
  return undefined;
}

/** Why the port could not be opened, in words a user can act on. */
function listenProblem(err: unknown, host: string, port: number): string | undefined {
  const where = `${host}:${port}`;
  switch ((err as NodeJS.ErrnoException)?.code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the port is already in use (stop what holds it, or pass --port <n>; 0 picks a free port)`;
    case "EACCES":
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges; pass --port <n>)`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: no such address on this machine (check --host)`;
    default:
      return undefined;
  }
}

main().catch((err) => {
  process.stderr.write(`ecs-sim: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
