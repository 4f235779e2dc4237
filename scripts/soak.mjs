/**
 * `npm run soak`: a longer load-and-fault run against a simulator in a child process, on
 * loopback only, bounded in time (SOAK_SECONDS, default 60). Not part of `npm test`.
 *
 * Several workers mix ordinary ECS calls (clusters, task definitions, RunTask, DescribeTasks,
 * services, tags) with malformed ones (bad JSON, deep nesting, prototype operation names, out of
 * range values) and faults (partial requests that stall, sockets cut mid-request, event-stream
 * readers that stop reading, admin calls with bad bodies). At the end it prints one JSON summary:
 * requests, status codes, 5xx count, and the simulator's RSS and open fd count at start and end.
 * Exit code 1 if any answer was a 5xx or the simulator died.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 4);
const SEED = Number(process.env.SOAK_SEED ?? 1);
const HOST = "127.0.0.1";
const TARGET = "AmazonEC2ContainerServiceV20141113.";

/** mulberry32: the load is replayable from SOAK_SEED. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function processStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { rssMiB: Math.round((rssKb / 1024) * 10) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rssMiB: null, fds: null };
  }
}

async function startSimulator(port) {
  const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
  const child = spawn(
    process.execPath,
    [cli, "--host", HOST, "--port", String(port), "--runtime", "simulated", "--quota-profile", "unlimited", "--log-level", "error", "--seed", String(SEED)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("ready at")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code} before it was ready`)));
  });
  return child;
}

const summary = { seconds: SECONDS, workers: WORKERS, seed: SEED, requests: 0, byStatus: {}, byKind: {}, serverErrors: [], transportErrors: 0 };

function count(kind, status) {
  summary.requests++;
  summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
  summary.byKind[kind] = (summary.byKind[kind] ?? 0) + 1;
}

async function ecs(base, operation, body, kind = operation) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  try {
    const res = await fetch(base, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET + operation },
      body: payload,
    });
    const text = await res.text();
    count(kind, res.status);
    if (res.status >= 500) summary.serverErrors.push({ operation, status: res.status, body: text.slice(0, 300) });
    return res.status === 200 ? JSON.parse(text) : undefined;
  } catch {
    summary.transportErrors++;
    return undefined;
  }
}

async function adminCall(base, method, path, body) {
  try {
    const res = await fetch(new URL(path, base), { method, ...(body !== undefined ? { headers: { "content-type": "application/json" }, body } : {}) });
    await res.arrayBuffer();
    count(`admin ${method} ${path.split("?")[0]}`, res.status);
    if (res.status >= 500) summary.serverErrors.push({ operation: `${method} ${path}`, status: res.status });
  } catch {
    summary.transportErrors++;
  }
}

/** A socket that sends half a request and then nothing: the server must time it out. */
function stalledRequest(port) {
  const s = connect(port, HOST, () => s.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"clu"));
  s.on("error", () => {});
  s.on("close", () => count("fault stalled-request", "closed-by-server"));
  return s;
}

/** A socket cut in the middle of a request. */
function cutRequest(port) {
  const s = connect(port, HOST, () => {
    s.write(`POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: ${TARGET}ListClusters\r\nContent-Length: 100\r\n\r\n{`);
    s.destroy();
    count("fault cut-request", "cut");
  });
  s.on("error", () => {});
}

/** An event-stream reader that never reads: the server must drop it, not buffer for it. */
function stuckReader(port) {
  const s = connect(port, HOST, () => {
    s.write("GET /_sim/events?stream=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    s.pause();
  });
  s.on("error", () => {});
  s.on("close", () => count("fault stuck-sse-reader", "closed-by-server"));
  return s;
}

const DEF = (family) => ({
  family,
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: "busybox:latest" }],
});
const NET = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };

async function worker(id, base, port, deadline) {
  const random = rng(SEED * 1000 + id);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const cluster = `soak-${id}`;
  await ecs(base, "CreateCluster", { clusterName: cluster });
  await ecs(base, "RegisterTaskDefinition", DEF(`soak-${id}`));
  const tasks = [];
  const open = [];
  let n = 0;
  while (Date.now() < deadline) {
    n++;
    const r = random();
    if (r < 0.2) {
      const out = await ecs(base, "RunTask", { cluster, taskDefinition: `soak-${id}`, count: 1 + Math.floor(random() * 3), networkConfiguration: NET, launchType: "FARGATE" });
      for (const t of out?.tasks ?? []) tasks.push(t.taskArn);
    } else if (r < 0.4) {
      await ecs(base, "DescribeTasks", { cluster, tasks: tasks.slice(-50).concat("0123456789abcdef") });
    } else if (r < 0.48 && tasks.length > 0) {
      await ecs(base, "StopTask", { cluster, task: tasks.splice(Math.floor(random() * tasks.length), 1)[0], reason: "soak" });
    } else if (r < 0.55) {
      await ecs(base, "ListTasks", { cluster, maxResults: 100 });
    } else if (r < 0.6) {
      const name = `svc-${n % 5}`;
      const op = pick(["CreateService", "UpdateService", "DeleteService", "DescribeServices"]);
      const body =
        op === "CreateService" ? { cluster, serviceName: name, taskDefinition: `soak-${id}`, desiredCount: 1, networkConfiguration: NET }
        : op === "UpdateService" ? { cluster, service: name, desiredCount: Math.floor(random() * 3) }
        : op === "DeleteService" ? { cluster, service: name, force: true }
        : { cluster, services: [name] };
      await ecs(base, op, body);
    } else if (r < 0.63) {
      await ecs(base, "RegisterTaskDefinition", DEF(`soak-${id}`));
    } else if (r < 0.66) {
      await ecs(base, "TagResource", { resourceArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${cluster}`, tags: [{ key: `k${n % 40}`, value: "v" }] });
    } else if (r < 0.78) {
      const [op, body] = pick([
        ["RunTask", "{not json"],
        ["CreateCluster", `{"configuration":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`],
        [pick(["constructor", "toString", "__proto__", "hasOwnProperty"]), "{}"],
        ["RegisterTaskDefinition", JSON.stringify({ ...DEF("bad"), containerDefinitions: [{ name: "a\u0000", image: "x", memory: 1e308 }] })],
        ["RunTask", JSON.stringify({ cluster, taskDefinition: `soak-${id}`, count: -1 })],
        ["StopTask", JSON.stringify({ task: "nope" })],
        ["DescribeClusters", JSON.stringify({ clusters: [cluster], include: ["CONFIGURATIONS", "TAGS"] })],
      ]);
      await ecs(base, op, body, `malformed ${op}`);
    } else if (r < 0.88) {
      const [method, path, body] = pick([
        ["GET", "/_sim/health"],
        ["GET", "/_sim/state"],
        ["GET", "/_sim/events?limit=50"],
        ["GET", "/_sim/usage"],
        ["POST", "/_sim/clock/advance", "{bad"],
        ["PUT", "/_sim/quotas", "[]"],
        ["GET", "/_sim/nothing-here"],
      ]);
      await adminCall(base, method, path, body);
    } else {
      const fault = pick(["stalled", "cut", "stuck"]);
      if (fault === "stalled") open.push(stalledRequest(port));
      else if (fault === "cut") cutRequest(port);
      else open.push(stuckReader(port));
      // Keep each worker's own faults bounded: the point is the server's bounds, not the client's.
      while (open.length > 10) open.shift().destroy();
    }
  }
  for (const s of open) s.destroy();
}

const port = await freePort();
const base = `http://${HOST}:${port}/`;
const child = await startSimulator(port);
let died = false;
child.on("exit", () => (died = true));
summary.start = processStats(child.pid);
const deadline = Date.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i, base, port, deadline)));
// Streams and stalled requests the workers abandoned are gone by now or soon; the end reading
// is taken after one more full request cycle.
await adminCall(base, "GET", "/_sim/health");
summary.end = processStats(child.pid);
summary.requestsPerSecond = Math.round(summary.requests / SECONDS);
summary.simulatorDied = died;
summary.serverErrors = summary.serverErrors.slice(0, 20);
child.kill("SIGTERM");
await new Promise((resolve) => (died ? resolve() : child.on("exit", resolve)));
console.log(JSON.stringify(summary, null, 2));
process.exit(summary.serverErrors.length > 0 || summary.simulatorDied ? 1 : 0);
