/**
 * The simulated runtime at scale, through the HTTP API as clients use it: RunTask-to-RUNNING
 * latency, launch throughput, and memory held per running task. Needs `npm run build` first.
 * Run alone: `node bench/simulated.mjs`.
 */
import { performance } from "node:perf_hooks";
import { startSimulator } from "../dist/index.js";

const TARGET = "AmazonEC2ContainerServiceV20141113.";

export async function runSimulatedBench({ latencySamples = 200, tasks = 2000, batch = 10, parallel = 8 } = {}) {
  const sim = await startSimulator({ runtime: "simulated", quotas: { profile: "unlimited" }, seed: 1 });
  const call = async (op, body) => {
    const res = await fetch(sim.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET + op },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${op}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const running = new Map();
  sim.simulator.ctx.bus.subscribe("task.changed", (e) => {
    if (e.task.lastStatus === "RUNNING") running.get(e.task.taskArn)?.();
  });
  const whenRunning = (arn) => new Promise((resolve) => running.set(arn, resolve));
  try {
    await call("CreateCluster", { clusterName: "bench" });
    await call("RegisterTaskDefinition", {
      family: "bench",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image: "busybox" }],
    });
    const runBody = { cluster: "bench", taskDefinition: "bench", launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } } };

    // Latency: one task at a time, from the RunTask request to the RUNNING transition.
    const latencies = [];
    for (let i = 0; i < latencySamples; i++) {
      const t0 = performance.now();
      const out = await call("RunTask", runBody);
      await whenRunning(out.tasks[0].taskArn);
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);

    // Throughput and memory: `tasks` tasks, `batch` per RunTask, `parallel` calls in flight.
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const pending = [];
    let launched = 0;
    const worker = async () => {
      while (launched < tasks) {
        launched += batch;
        const out = await call("RunTask", { ...runBody, count: batch });
        for (const t of out.tasks) pending.push(whenRunning(t.taskArn));
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    await Promise.all(pending);
    const elapsed = performance.now() - t0;
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const pct = (p) => round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]);
    return {
      timing: "fast",
      runTaskToRunningMs: { p50: pct(50), p95: pct(95), p99: pct(99), samples: latencySamples },
      launch: { tasks: pending.length, seconds: round(elapsed / 1000), tasksPerSecond: round((pending.length / elapsed) * 1000) },
      memory: { heapBytesPerRunningTask: Math.round((heapAfter - heapBefore) / pending.length), gcExposed: typeof global.gc === "function" },
    };
  } finally {
    await sim.close();
  }
}

function round(x) {
  return Math.round(x * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSimulatedBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
