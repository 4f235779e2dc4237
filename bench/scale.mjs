/**
 * The simulated runtime at scale, with the simulator in its own process (fast timing, unlimited
 * quotas): the RSS, RunTask latency (10 parallel clients, count 10), DescribeTasks of 100 ids and
 * whole-cluster ListTasks listings at 1k, 10k and 100k tasks. A step whose launch would overrun
 * `budgetSeconds` is cut short and says so, so the bench stays bounded on a slow machine.
 * Separately, in this process: the virtual clock over many pending timers and tasks.
 * Needs `npm run build` first.
 */
import { performance } from "node:perf_hooks";
import { ecsClient, latencySummary, round, startSimulatorProcess } from "./lib.mjs";

const DEF = {
  family: "bench",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: "busybox", environment: [{ name: "MODE", value: "bench" }] }],
};
const NETWORK = { awsvpcConfiguration: { subnets: ["subnet-1"] } };

export async function runScaleBench({ steps = [1_000, 10_000, 100_000], clients = 10, port = 4781, budgetSeconds = 180 } = {}) {
  const deadline = performance.now() + budgetSeconds * 1000;
  const server = await startSimulatorProcess(port, ["--quota-profile", "unlimited", "--log-level", "warn"]);
  const client = ecsClient(port, { connections: clients });
  const curve = [];
  try {
    await client.call("CreateCluster", { clusterName: "bench" });
    await client.call("RegisterTaskDefinition", DEF);
    const idle = server.rssBytes();
    let total = 0;
    const arns = [];
    for (const wanted of steps) {
      let target = wanted;
      const runLatencies = [];
      const cpu0 = server.cpuSeconds();
      const t0 = performance.now();
      let calls = 0;
      const worker = async () => {
        while (total < target) {
          if (performance.now() > deadline) {
            target = total;
            break;
          }
          total += 10;
          const s = performance.now();
          const out = await client.call("RunTask", { cluster: "bench", taskDefinition: "bench", launchType: "FARGATE", count: 10, networkConfiguration: NETWORK });
          runLatencies.push(performance.now() - s);
          calls++;
          for (const t of out.tasks) arns.push(t.taskArn);
        }
      };
      await Promise.all(Array.from({ length: clients }, worker));
      const launchSeconds = (performance.now() - t0) / 1000;
      const runTaskCpuMs = ((server.cpuSeconds() - cpu0) / calls) * 1000;
      await waitRunning(client, target);
      await new Promise((r) => setTimeout(r, 500));
      curve.push({
        tasks: target,
        ...(target < wanted ? { cutShortAt: target, wanted, reason: `launch budget of ${budgetSeconds} s spent` } : {}),
        rssMB: round(server.rssBytes() / 2 ** 20, 0),
        kibPerTask: round((server.rssBytes() - idle) / 1024 / target, 2),
        runTaskCount10Ms: latencySummary(runLatencies),
        runTaskServerCpuMsPerCall: round(runTaskCpuMs, 2),
        launchTasksPerSecond: round((target - (curve.at(-1)?.tasks ?? 0)) / launchSeconds, 0),
        describeTasks100Ms: await describeLatency(client, arns),
        listTasks: await listAll(client, target),
      });
    }
  } finally {
    client.close();
    await server.stop();
  }
  return { clients, curve };
}

/**
 * The virtual clock's timer queue with `pending` timers waiting: advancing 1 ms (nothing due) and
 * advancing over the 1,000 earliest; before the heap both scanned every pending timer per firing.
 */
export async function runClockBench({ pending = 100_000, fleets = [1_000, 10_000] } = {}) {
  const { VirtualClock } = await import("../dist/core/clock.js");
  const clock = new VirtualClock(0);
  for (let i = 0; i < pending; i++) clock.setTimeout(() => undefined, 1_000 + ((i * 7919) % pending));
  let t0 = performance.now();
  await clock.advance(1);
  const nothingDueMs = performance.now() - t0;
  t0 = performance.now();
  await clock.advance(1_000 + 999);
  const thousandDueMs = performance.now() - t0;
  const timers = { pending, advanceNothingDueMs: round(nothingDueMs), advanceFiring1000Ms: round(thousandDueMs), left: clock.pendingTimers() };
  const tasks = [];
  for (const n of fleets) tasks.push(await virtualClockBench(n));
  return { timers, tasks, note: "per-task cost constant across fleet sizes = linear advance" };
}

async function waitRunning(client, n) {
  for (;;) {
    const c = (await client.call("DescribeClusters", { clusters: ["bench"] })).clusters[0];
    if (c.runningTasksCount >= n) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function describeLatency(client, arns, samples = 200) {
  const latencies = [];
  let seed = 1;
  for (let i = 0; i < samples; i++) {
    const ids = Array.from({ length: 100 }, () => arns[(seed = (seed * 48271) % 2147483647) % arns.length]);
    const payload = JSON.stringify({ cluster: "bench", tasks: ids });
    // Request to the last byte of the answer: parsing 100 tasks of JSON is the client's time, not the server's.
    const t0 = performance.now();
    const res = await client.raw("DescribeTasks", payload);
    latencies.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`DescribeTasks: ${res.status} ${res.body}`);
  }
  return latencySummary(latencies);
}

/** Lists the whole cluster page by page (100 a page): linear if a page costs the same at any size. */
async function listAll(client, expected) {
  const t0 = performance.now();
  let pages = 0;
  let listed = 0;
  let firstPageMs;
  let nextToken;
  do {
    const s = performance.now();
    const out = await client.call("ListTasks", { cluster: "bench", maxResults: 100, ...(nextToken ? { nextToken } : {}) });
    firstPageMs ??= performance.now() - s;
    pages++;
    listed += out.taskArns.length;
    nextToken = out.nextToken;
  } while (nextToken);
  const ms = performance.now() - t0;
  return { listed, expected, pages, firstPageMs: round(firstPageMs), wholeClusterMs: round(ms, 0), msPerPage: round(ms / pages) };
}

/**
 * The virtual clock with `n` tasks in flight: advancing 1 ms while all of them wait (nothing is
 * due: a heap peek), then the whole fleet through provisioning, pull and activation to RUNNING.
 */
async function virtualClockBench(n) {
  const { startSimulator } = await import("../dist/index.js");
  const sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 1, quotas: { profile: "unlimited" }, logLevel: "warn" });
  const inject = async (op, body) => {
    const res = await sim.simulator.app.inject({
      method: "POST",
      url: "/",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonEC2ContainerServiceV20141113.${op}` },
      payload: JSON.stringify(body),
    });
    if (res.statusCode !== 200) throw new Error(`${op}: ${res.body}`);
  };
  try {
    await inject("CreateCluster", {});
    await inject("RegisterTaskDefinition", DEF);
    for (let i = 0; i < n; i += 10) await inject("RunTask", { taskDefinition: "bench", launchType: "FARGATE", count: 10, networkConfiguration: NETWORK });
    const clock = sim.simulator.ctx.clock;
    const pending = clock.pendingTimers();
    let t0 = performance.now();
    await clock.advance(1);
    const idleAdvanceMs = performance.now() - t0;
    t0 = performance.now();
    await clock.advance(1_000);
    const fleetAdvanceMs = performance.now() - t0;
    return {
      tasks: n,
      pendingTimers: pending,
      advance1msNothingDueMs: round(idleAdvanceMs),
      advance1sAllToRunningSeconds: round(fleetAdvanceMs / 1000),
      perTaskMicros: round((fleetAdvanceMs * 1000) / n, 1),
    };
  } finally {
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const steps = process.env.BENCH_STEPS ? process.env.BENCH_STEPS.split(",").map(Number) : undefined;
  const out = async () => ({ scale: await runScaleBench(steps ? { steps } : {}), clock: process.env.BENCH_NO_CLOCK ? undefined : await runClockBench() });
  out().then((r) => console.log(JSON.stringify(r, null, 2)));
}
