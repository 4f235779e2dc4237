/**
 * Launch latency and throughput of the Docker runtime (prepare + start of N one-container tasks,
 * until the container runs) against dockerode's own create + start of the same image with the
 * same concurrency. Imports the build output: run after `npm run build`.
 *
 * Two runtime figures: `bridge` is like for like (one container per task on a user-defined
 * network, against direct create + start on such a network; the target is <= 10% overhead);
 * `awsvpc` adds the per-task network-holder container that Fargate semantics need, so it is
 * reported for information against direct starts on the default bridge, not held to the target.
 */
import { performance } from "node:perf_hooks";
import PQueue from "p-queue";
import { RealClock } from "../dist/core/clock.js";
import { silentLogger } from "../dist/core/logger.js";
import { DockerRuntime, createDockerClient, dockerAvailable, LABEL_INSTANCE } from "../dist/runtime/docker/index.js";

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
        const s = performance.now();
        const c = await docker.createContainer({
          name: `ecs-sim-bench-direct-${instanceId}-${i}`,
          Image: IMAGE,
          Cmd: ["sleep", "60"],
          Labels: { [LABEL_INSTANCE]: instanceId },
          HostConfig: networkName ? { NetworkMode: networkName } : {},
        });
        ids.push(c.id);
        await c.start();
        latencies.push(performance.now() - s);
      }),
    ),
  );
  const total = performance.now() - t0;
  await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
  return stats(latencies, total);
}

async function viaRuntime(n, concurrency, networkMode, instanceId) {
  const runtime = new DockerRuntime({
    clock: new RealClock(),
    logger: silentLogger,
    listener: () => undefined,
    config: { launchConcurrency: concurrency },
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
    // Tasks arrive all at once, as a RunTask count=10 burst does; the runtime's queue bounds them.
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const s = spec(`${instanceId}-${i}`, networkMode);
        const start = performance.now();
        await runtime.prepare(s);
        await runtime.start(s);
        latencies.push(performance.now() - start);
      }),
    );
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
  const tag = `bench-${process.pid}`;
  // Like for like: the direct side uses a user-defined bridge network too, as the runtime does
  // (Docker's embedded DNS makes those notably slower to join than the default bridge).
  const networkName = `ecs-sim-bench-${process.pid}`;
  await docker.createNetwork({ Name: networkName, Driver: "bridge", Labels: { [LABEL_INSTANCE]: tag } });
  const directRuns = [];
  const bridgeRuns = [];
  try {
    // Alternate and repeat, then take medians: engine warm-up and host noise are +-15% here.
    for (let round = 0; round < rounds; round++) {
      directRuns.push(await direct(docker, tasks, concurrency, `${tag}-d${round}`, networkName));
      bridgeRuns.push(await viaRuntime(tasks, concurrency, "bridge", `${tag}-b${round}`));
    }
  } finally {
    await docker.getNetwork(networkName).remove().catch(() => undefined);
  }
  const directDefault = await direct(docker, tasks, concurrency, `${tag}-dd`);
  const awsvpc = await viaRuntime(tasks, concurrency, "awsvpc", `${tag}-a`);
  const median = (runs) => [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(runs.length / 2)];
  const directMedian = median(directRuns);
  const bridgeMedian = median(bridgeRuns);
  const overhead = (x, base) => round(((x.totalMs - base.totalMs) / base.totalMs) * 100);
  return {
    image: IMAGE,
    tasks,
    concurrency,
    rounds,
    direct: directMedian,
    runtimeBridge: bridgeMedian,
    directDefaultBridge: directDefault,
    runtimeAwsvpc: awsvpc,
    overheadPercent: { bridge: overhead(bridgeMedian, directMedian), awsvpcVsDirectDefault: overhead(awsvpc, directDefault) },
    targetOverheadPercent: 10,
    meetsTarget: overhead(bridgeMedian, directMedian) <= 10,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDockerBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
