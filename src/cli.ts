#!/usr/bin/env node
import { parseCli, USAGE } from "./cli-args.js";
import { ConfigError } from "./config.js";
import { ScenarioError } from "./scenario/parse.js";
import { Simulator } from "./simulator.js";
import { VERSION } from "./version.js";

async function main(): Promise<void> {
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

  let sim: Simulator;
  try {
    sim = await Simulator.create(parsed.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ecs-sim: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
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

  const endpoint = await sim.listen();
  if (parsed.scenario) {
    try {
      await sim.loadScenario(parsed.scenario);
    } catch (err) {
      process.stderr.write(`ecs-sim: ${(err as Error).message}\n`);
      await sim.close();
      process.exit(2);
    }
  }
  process.stdout.write(`ecs-sim ${VERSION} ready at ${endpoint} ${sim.readySummary()}\n`);
}

main().catch((err) => {
  process.stderr.write(`ecs-sim: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
