/**
 * Launch latency and throughput of the Docker runtime (prepare + start of N one-container tasks,
 * until the container runs) against dockerode's own create + start of the same image with the
 * same concurrency. Imports the build output: run after `npm run build`.
 *
 * Two runtime figures: `bridge` is like for like (one container per task on a user-defined
 * network, against direct create + start on such a network; the target is <= 10% overhead);
 * `awsvpc` adds the per-task network-holder container that Fargate semantics need; it is held to
 * within 25% of `bridge`, for a burst (total time) and one task at a time (p50), where the warm
 * pool of holders matters most (shown with and without it).
 */
import { performance } from "node:perf_hooks";
import PQueue from "p-queue";
import { RealClock } from "../dist/core/clock.js";
import { silentLogger } from "../dist/core/logger.js";
import { DockerRuntime, createDockerClient, dockerAvailable, LABEL_INSTANCE, newInstanceId } from "../dist/runtime/docker/index.js";

const IMAGE = "ecs-sim-test/busybox:latest";

function stats(latencies, totalMs) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return {
    tasks: latencies.length,
    totalMs: round(totalMs),
    perSecond: round((latencies.length / totalMs) * 1000),
    p50Ms: round(pct(50)),
    p95Ms: round(pct(95)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
  };
}

const round = (n) => Math.round(n * 10) / 10;

async function direct(docker, n, concurrency, instanceId, networkName) {
  const queue = new PQueue({ concurrency });
  const latencies = [];
  const ids = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      queue.add(async () => {
        const c = await docker.createContainer({
          name: `ecs-sim-bench-direct-${instanceId}-${i}`,
          Image: IMAGE,
          Cmd: ["sleep", "60"],
          Labels: { [LABEL_INSTANCE]: instanceId },
          HostConfig: networkName ? { NetworkMode: networkName } : {},
        });
        ids.push(c.id);
        await c.start();
        // From the burst's arrival, as the runtime and API figures are: queueing included.
        latencies.push(performance.now() - t0);
      }),
    ),
  );
  const total = performance.now() - t0;
  await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
  return stats(latencies, total);
}

/**
 * The whole simulator, as a user meets it: RunTask (count 10 per call) through the HTTP API with
 * the Docker runtime and the fast timing profile, timed from the call to the RUNNING transition.
 * The definition uses bridge networking, so it compares like for like with direct starts on a
 * user-defined network.
 */
async function viaApi(n, concurrency) {
  const { startSimulator } = await import("../dist/index.js");
  const sim = await startSimulator({ runtime: "docker", quotas: { profile: "unlimited" }, docker: { launchConcurrency: concurrency } });
  const running = new Map();
  sim.simulator.ctx.bus.subscribe("task.changed", (e) => {
    if (e.task.lastStatus === "RUNNING") running.get(e.task.taskArn)?.();
  });
  const call = async (op, body) => {
    const res = await fetch(sim.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonEC2ContainerServiceV20141113.${op}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${op}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  try {
    // An omitted cluster means an existing default cluster, as on AWS.
    await call("CreateCluster", {});
    // Bridge tasks run on the EC2 launch type: one simulated instance holds them all.
    const added = await fetch(`${sim.endpoint}/_sim/container-instances`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cluster: "default", instanceType: "m5.24xlarge" }),
    });
    if (!added.ok) throw new Error(`container instance: ${added.status} ${await added.text()}`);
    await call("RegisterTaskDefinition", {
      family: "bench-bridge",
      networkMode: "bridge",
      containerDefinitions: [{ name: "app", image: IMAGE, memory: 64, command: ["sleep", "60"], stopTimeout: 1 }],
    });
    const runBody = { taskDefinition: "bench-bridge", launchType: "EC2" };
    // Warm-up outside the measurement: network, metadata server, event stream.
    const warm = await call("RunTask", runBody);
    await new Promise((r) => running.set(warm.tasks[0].taskArn, r));

    const latencies = [];
    const t0 = performance.now();
    const waits = [];
    for (let launched = 0; launched < n; launched += 10) {
      const out = await call("RunTask", { ...runBody, count: Math.min(10, n - launched) });
      for (const t of out.tasks) {
        waits.push(new Promise((r) => running.set(t.taskArn, () => r(latencies.push(performance.now() - t0)))));
      }
    }
    await Promise.all(waits);
    return stats(latencies, performance.now() - t0);
  } finally {
    await sim.close();
  }
}

async function viaRuntime(n, concurrency, networkMode, instanceId, extraConfig = {}, { sequential = false } = {}) {
  const runtime = new DockerRuntime({
    clock: new RealClock(),
    logger: silentLogger,
    listener: () => undefined,
    config: { launchConcurrency: concurrency, ...extraConfig },
    instanceId,
    simulatorEndpoint: "http://127.0.0.1:4599",
    lookupTask: () => undefined,
  });
  try {
    // Warm-up outside the measurement: network, metadata server, event stream, pause image.
    const warm = spec(`${instanceId}-warm`, networkMode);
    await runtime.prepare(warm);
    await runtime.start(warm);
    await runtime.remove(warm.taskArn);

    const latencies = [];
    const t0 = performance.now();
    const one = async (i) => {
      const s = spec(`${instanceId}-${i}`, networkMode);
      const start = performance.now();
      await runtime.prepare(s);
      await runtime.start(s);
      latencies.push(performance.now() - start);
    };
    if (sequential) {
      // One task at a time, as a developer's RunTask usually is: launch latency, not throughput.
      for (let i = 0; i < n; i++) {
        await one(i);
        // Pace like a person or a test suite would: the warm pool refills between launches.
        await new Promise((r) => setTimeout(r, 300));
      }
    } else {
      // Tasks arrive all at once, as a RunTask count=10 burst does; the runtime's queue bounds them.
      await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
    }
    return stats(latencies, performance.now() - t0);
  } finally {
    await runtime.close();
  }
}

function spec(id, networkMode) {
  const taskId = id.replace(/[^a-z0-9]/gi, "").padEnd(32, "0").slice(0, 32);
  const arn = `arn:aws:ecs:us-east-1:000000000000:task/bench/${taskId}-${id}`;
  return {
    account: "000000000000",
    region: "us-east-1",
    clusterName: "bench",
    clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/bench",
    taskArn: arn,
    taskId: `${taskId}${id.split("-").pop()}`,
    family: "bench",
    revision: 1,
    taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/bench:1",
    launchType: "FARGATE",
    networkMode,
    cpu: 256,
    memory: 512,
    availabilityZone: "us-east-1a",
    privateIp: "10.0.0.1",
    volumes: [],
    tags: [],
    containers: [
      { name: "app", image: IMAGE, essential: true, command: ["sleep", "60"], environment: [], cpu: 0, portMappings: [], dependsOn: [], stopTimeout: 1 },
    ],
  };
}

export async function runDockerBench({ tasks = 20, concurrency = 4, rounds = 3 } = {}) {
  if (!(await dockerAvailable(3000))) return { skipped: "no Docker engine answers" };
  const docker = createDockerClient();
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    return { skipped: `image ${IMAGE} missing; run bash scripts/build-test-images.sh` };
  }
  // host.pid.* ids: a simulator started by this bench must not take its objects for leftovers.
  const tag = newInstanceId("bench");
  // Like for like: the direct side uses a user-defined bridge network too, as the runtime does
  // (Docker's embedded DNS makes those notably slower to join than the default bridge).
  const networkName = `ecs-sim-bench-${process.pid}`;
  await docker.createNetwork({ Name: networkName, Driver: "bridge", Labels: { [LABEL_INSTANCE]: tag } });
  const directRuns = [];
  const bridgeRuns = [];
  const apiRuns = [];
  const awsvpcRuns = [];
  const singleBridge = [];
  const singleAwsvpc = [];
  const singleAwsvpcNoPool = [];
  try {
    // Alternate and repeat, then take medians: engine warm-up and host noise are +-15% here.
    for (let round = 0; round < rounds; round++) {
      directRuns.push(await direct(docker, tasks, concurrency, `${tag}-d${round}`, networkName));
      bridgeRuns.push(await viaRuntime(tasks, concurrency, "bridge", `${tag}-b${round}`));
      apiRuns.push(await viaApi(tasks, concurrency));
      awsvpcRuns.push(await viaRuntime(tasks, concurrency, "awsvpc", `${tag}-a${round}`));
      singleBridge.push(await viaRuntime(8, concurrency, "bridge", `${tag}-sb${round}`, {}, { sequential: true }));
      singleAwsvpc.push(await viaRuntime(8, concurrency, "awsvpc", `${tag}-sa${round}`, {}, { sequential: true }));
      singleAwsvpcNoPool.push(await viaRuntime(8, concurrency, "awsvpc", `${tag}-sn${round}`, { awsvpcWarmPool: 0 }, { sequential: true }));
    }
  } finally {
    await docker.getNetwork(networkName).remove().catch(() => undefined);
  }
  const directDefault = await direct(docker, tasks, concurrency, `${tag}-dd`);
  const median = (runs) => [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(runs.length / 2)];
  const directMedian = median(directRuns);
  const bridgeMedian = median(bridgeRuns);
  const apiMedian = median(apiRuns);
  const awsvpc = median(awsvpcRuns);
  const medianBy = (runs, key) => [...runs].sort((a, b) => a[key] - b[key])[Math.floor(runs.length / 2)];
  const single = { bridge: medianBy(singleBridge, "p50Ms"), awsvpc: medianBy(singleAwsvpc, "p50Ms"), awsvpcWithoutPool: medianBy(singleAwsvpcNoPool, "p50Ms") };
  const latencyOverhead = (x, base) => round(((x.p50Ms - base.p50Ms) / base.p50Ms) * 100);
  const overhead = (x, base) => round(((x.totalMs - base.totalMs) / base.totalMs) * 100);
  return {
    image: IMAGE,
    tasks,
    concurrency,
    rounds,
    direct: directMedian,
    runtimeBridge: bridgeMedian,
    runTaskToRunningViaApi: apiMedian,
    directDefaultBridge: directDefault,
    runtimeAwsvpc: awsvpc,
    // One task at a time (8 per round, median of rounds by p50): the launch latency users wait on.
    oneAtATime: single,
    overheadPercent: {
      api: overhead(apiMedian, directMedian),
      bridge: overhead(bridgeMedian, directMedian),
      awsvpcVsDirectDefault: overhead(awsvpc, directDefault),
      awsvpcVsBridge: overhead(awsvpc, bridgeMedian),
      awsvpcVsBridgeOneAtATimeP50: latencyOverhead(single.awsvpc, single.bridge),
      awsvpcWithoutPoolVsBridgeOneAtATimeP50: latencyOverhead(single.awsvpcWithoutPool, single.bridge),
    },
    targetAwsvpcVsBridgePercent: 25,
    targetOverheadPercent: 10,
    // The target is for the simulator as users meet it: RunTask through the API, fast timing.
    meetsTarget: overhead(apiMedian, directMedian) <= 10,
    meetsAwsvpcTarget: {
      oneAtATime: latencyOverhead(single.awsvpc, single.bridge) <= 25,
      burst: overhead(awsvpc, bridgeMedian) <= 25,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDockerBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
