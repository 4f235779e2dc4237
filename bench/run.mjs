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
/** A section that fails says why in its place; the others still run and print. */
async function section(run) {
  try {
    return await run();
  } catch (err) {
    return { failed: String(err?.stack ?? err) };
  }
}
const only = new Set((process.env.BENCH_ONLY ?? "requests,scale,clock,servicesIdle,simulated,throttle,docker,startup").split(","));
const results = {
  node: process.version,
  startedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 10) / 10) },
};

if (only.has("requests")) results.requests = await section(() => runRequestBench(quick ? { rounds: 1, seconds: 2 } : {}));
if (only.has("scale")) {
  const scale = await section(() => runScaleBench(quick ? { steps: [1_000, 5_000], budgetSeconds: 60 } : {}));
  const last = scale.curve?.at(-1);
  results.scale = {
    ...scale,
    targets: {
      rssMBAt100kAtMost: 600,
      describeTasks100P99MsAt100kAtMost: 10,
      listTasksMsPerPage: "flat across sizes (whole-cluster listing linear)",
    },
    largest: last && { tasks: last.tasks, rssMB: last.rssMB, describeTasks100P99Ms: last.describeTasks100Ms.p99, listTasksMsPerPage: last.listTasks.msPerPage },
  };
}
if (only.has("clock")) results.clock = await section(() => runClockBench(quick ? { pending: 20_000, fleets: [500, 2_000] } : {}));
if (only.has("servicesIdle")) results.servicesIdle = await section(() => runServicesIdleBench(quick ? { services: 100, seconds: 5 } : {}));
if (only.has("simulated")) results.simulated = await section(() => runSimulatedBench(quick ? { latencySamples: 50, tasks: 500 } : {}));
if (only.has("throttle")) results.throttle = await section(() => runThrottleBench());
if (only.has("docker")) results.docker = await section(() => runDockerBench());
if (only.has("startup")) results.startup = await section(() => runStartupBench());
results.finishedAt = new Date().toISOString();
results.targets = summary(results);

console.log(JSON.stringify(results, null, 2));

/** Every target beside its figure (and bare fastify's, where there is one), for a reader in a hurry. */
function summary(r) {
  const out = [];
  const add = (name, target, figure, met, extra = {}) => out.push({ name, target, figure: figure ?? null, met: figure === undefined || figure === null ? null : met, ...extra });
  const dtd = r.requests?.routes?.DescribeTaskDefinition;
  // (sections that failed carry `failed` and no figures)
  if (dtd) {
    add("DescribeTaskDefinition req/s share of bare fastify (default profile)", ">= 0.75", dtd.defaultProfile.requestsPerSecondShare, dtd.defaultProfile.requestsPerSecondShare >= 0.75, {
      requestsPerSecond: dtd.defaultProfile.requestsPerSecond,
      bareFastifyRequestsPerSecond: dtd.bareFastify.requestsPerSecond,
    });
    add("DescribeTaskDefinition server CPU per request vs bare fastify", "<= 1.5x", dtd.unlimitedQuotas.cpuPerRequestRatio, dtd.unlimitedQuotas.cpuPerRequestRatio <= 1.5, {
      defaultProfileRatio: dtd.defaultProfile.cpuPerRequestRatio,
      microsPerRequest: dtd.unlimitedQuotas.serverCpuMicrosPerRequest,
      bareFastifyMicrosPerRequest: dtd.bareFastify.serverCpuMicrosPerRequest,
    });
  }
  if (r.scale?.largest) {
    const l = r.scale.largest;
    add("DescribeTasks(100 ids) p99 at the largest size", "< 10 ms at 100k tasks", l.describeTasks100P99Ms, l.describeTasks100P99Ms < 10, { tasks: l.tasks });
    add("RSS at the largest size", "< 600 MB at 100k tasks", l.rssMB, l.rssMB < 600 && l.tasks >= 100_000, { tasks: l.tasks });
  }
  if (r.startup?.simulatedRuntime) {
    add("ready (spawn to health answer), simulated runtime", "< 500 ms", r.startup.simulatedRuntime.readyMsMedian, r.startup.target.met, {
      cpuMs: r.startup.simulatedRuntime.cpuMsMedian,
      cpuVsBareFastify: r.startup.simulatedRuntime.cpuVsBareFastify,
      bareFastifyReadyMs: r.startup.bareFastify.readyMsMedian,
    });
  }
  if (r.docker?.overheadPercent) {
    const o = r.docker.overheadPercent;
    add("RunTask->RUNNING overhead over direct Docker (bridge)", "<= 10 %", o.api, o.api <= 10);
    add("awsvpc vs bridge, one task at a time (p50)", "<= 25 %", o.awsvpcVsBridgeOneAtATimeP50, o.awsvpcVsBridgeOneAtATimeP50 <= 25, { withoutWarmPool: o.awsvpcWithoutPoolVsBridgeOneAtATimeP50 });
    add("awsvpc vs bridge, 20-task burst (total)", "<= 25 %", o.awsvpcVsBridge, o.awsvpcVsBridge <= 25);
  }
  return out;
}
