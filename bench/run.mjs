/**
 * `npm run bench`: every benchmark in one run, one JSON document on stdout, each figure next to
 * its target. Targets are checked here, never by timed assertions in tests. The machine the run
 * came from is part of the output: read ratios across machines, not absolute numbers.
 *   - requests: server CPU per read request and req/s against a bare fastify server (same run);
 *   - scale: RSS, RunTask, DescribeTasks(100) and whole-cluster ListTasks at 1k/10k/100k tasks;
 *   - clock: the virtual clock over 100k pending timers, and fleets of tasks to RUNNING;
 *   - servicesIdle: idle CPU with 1,000 services x 10 tasks;
 *   - simulated, throttle, docker: launch latency, throttle accuracy, Docker launch overhead;
 *   - startup: ready (spawn to first health answer) under 500 ms, beside bare fastify's.
 * Set BENCH_ONLY=requests,scale,... to run a subset; BENCH_QUICK=1 for smaller sizes.
 */
import os from "node:os";
import { runDockerBench } from "./docker.mjs";
import { runRequestBench } from "./requests.mjs";
import { runClockBench, runScaleBench } from "./scale.mjs";
import { runServicesIdleBench } from "./services-idle.mjs";
import { runSimulatedBench } from "./simulated.mjs";
import { runStartupBench } from "./startup.mjs";
import { runThrottleBench } from "./throttle.mjs";

const quick = process.env.BENCH_QUICK === "1";
const only = new Set((process.env.BENCH_ONLY ?? "requests,scale,clock,servicesIdle,simulated,throttle,docker,startup").split(","));
const results = {
  node: process.version,
  startedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 10) / 10) },
};

if (only.has("requests")) results.requests = await runRequestBench(quick ? { rounds: 1, seconds: 2 } : {});
if (only.has("scale")) {
  const scale = await runScaleBench(quick ? { steps: [1_000, 5_000], budgetSeconds: 60 } : {});
  const last = scale.curve.at(-1);
  results.scale = {
    ...scale,
    targets: {
      rssMBAt100kAtMost: 600,
      describeTasks100P99MsAt100kAtMost: 10,
      listTasksMsPerPage: "flat across sizes (whole-cluster listing linear)",
    },
    largest: { tasks: last?.tasks, rssMB: last?.rssMB, describeTasks100P99Ms: last?.describeTasks100Ms.p99, listTasksMsPerPage: last?.listTasks.msPerPage },
  };
}
if (only.has("clock")) results.clock = await runClockBench(quick ? { pending: 20_000, fleets: [500, 2_000] } : {});
if (only.has("servicesIdle")) results.servicesIdle = await runServicesIdleBench(quick ? { services: 100, seconds: 5 } : {});
if (only.has("simulated")) results.simulated = await runSimulatedBench(quick ? { latencySamples: 50, tasks: 500 } : {});
if (only.has("throttle")) results.throttle = await runThrottleBench();
if (only.has("docker")) results.docker = await runDockerBench();
if (only.has("startup")) results.startup = await runStartupBench();
results.finishedAt = new Date().toISOString();

console.log(JSON.stringify(results, null, 2));
