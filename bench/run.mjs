/**
 * `npm run bench`: every benchmark in one run, one JSON document on stdout. Targets are checked
 * here, never by timed assertions in tests:
 *   - throttle accuracy: accepted calls within 2 % of burst + rate x elapsed (issue 4);
 *   - Docker launch overhead over raw dockerode create+start: at most 10 % (issue 3).
 * Set BENCH_ONLY=simulated,throttle,docker to run a subset.
 */
import { runDockerBench } from "./docker.mjs";
import { runSimulatedBench } from "./simulated.mjs";
import { runThrottleBench } from "./throttle.mjs";

const only = new Set((process.env.BENCH_ONLY ?? "simulated,throttle,docker").split(","));
const results = { node: process.version, startedAt: new Date().toISOString() };

if (only.has("simulated")) results.simulated = await runSimulatedBench();
if (only.has("throttle")) results.throttle = await runThrottleBench();
if (only.has("docker")) results.docker = await runDockerBench();

console.log(JSON.stringify(results, null, 2));
