/**
 * Shared pieces of the benchmarks: a simulator (or any server) in a child process so its CPU and
 * memory are measured apart from the load generator's, a keep-alive HTTP client, and percentiles.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";

export const TARGET = "AmazonEC2ContainerServiceV20141113.";
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const TICKS_PER_SECOND = 100;

export const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function latencySummary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), samples: sorted.length };
}

/** Starts a child process that prints a line matching `ready` once it listens; killed by stop(). */
export async function startChild(args, { ready = /listening|ready|http:\/\//i, env = {} } = {}) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let output = "";
  await new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      if (ready.test(output)) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`child exited ${code}: ${output.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`child not ready after 30 s: ${output.slice(-2000)}`)), 30_000).unref();
  });
  child.stdout.resume();
  child.stderr.resume();
  return {
    pid: child.pid,
    cpuSeconds: () => cpuSeconds(child.pid),
    rssBytes: () => rssBytes(child.pid),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}

/** The simulator's CLI in a child process on `port`, simulated runtime. */
export function startSimulatorProcess(port, extra = []) {
  return startChild([CLI, "--port", String(port), "--runtime", "simulated", "--seed", "1", ...extra], { ready: / ready at / });
}

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function rssBytes(pid) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** A keep-alive JSON client for one endpoint; `call(op, body)` resolves with the parsed body. */
export function ecsClient(port, { connections = 16 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const raw = (op, payload) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/",
          agent,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": TARGET + op,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0",
            "content-length": Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  return {
    raw,
    async call(op, body) {
      const res = await raw(op, JSON.stringify(body));
      if (res.status !== 200) throw new Error(`${op}: ${res.status} ${res.body}`);
      return JSON.parse(res.body.toString("utf8"));
    },
    close: () => agent.destroy(),
  };
}

/**
 * Closed-loop load: `connections` requests in flight for `seconds`, after `warmupSeconds`.
 * Returns answers per second, the server's CPU per answer and how many answers were not 200s
 * (throttling answers count as answers: they are what the server did with the request).
 */
export async function load(client, server, op, payload, { connections = 16, seconds = 3, warmupSeconds = 1 } = {}) {
  let measuring = false;
  let done = 0;
  let failed = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const res = await client.raw(op, payload);
      if (!measuring) continue;
      if (res.status === 200) done++;
      else failed++;
    }
  };
  const workers = Array.from({ length: connections }, worker);
  await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  measuring = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = server.cpuSeconds() - cpu0;
  stop = true;
  await Promise.all(workers);
  const answers = done + failed;
  return { requestsPerSecond: round(answers / elapsed, 0), serverCpuMicrosPerRequest: round((cpu / Math.max(1, answers)) * 1e6, 1), non200: failed };
}
