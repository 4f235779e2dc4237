/**
 * Start-up: process spawn to the first answer of GET /_sim/health, for `node dist/cli.js` with
 * the simulated runtime and with the default runtime choice, next to a bare fastify server
 * started the same way in the same run. Wall time depends on how loaded the machine is; the CPU
 * the process used until ready (from /proc, where there is one) and the ratio to bare fastify
 * are steadier. Also the `npm start` prelude with nothing changed (the stale-build check).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const CLI = join(ROOT, "dist/cli.js");
const TARGET_READY_MS = 500;

const BARE_FASTIFY = `
import Fastify from "fastify";
const app = Fastify();
app.get("/_sim/health", async () => ({ status: "ok" }));
await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write("ready at http://127.0.0.1:" + app.server.address().port + "\\n");
process.on("SIGTERM", () => process.exit(0));
`;

function cpuMs(pid) {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return undefined;
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function readyOnce(args) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
  try {
    let out = "";
    const url = await new Promise((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += d;
        const m = /ready at (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code} before ready`)));
    });
    await (await fetch(`${url}/_sim/health`)).text();
    return { wallMs: performance.now() - started, cpuMs: cpuMs(child.pid) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode === null ? child.on("exit", r) : r()));
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.floor(s.length / 2)]) : null;
};

async function measure(args, runs) {
  const samples = [];
  // Interleaved by the caller's loop order; one warm-up run fills the OS file cache.
  await readyOnce(args);
  for (let i = 0; i < runs; i++) samples.push(await readyOnce(args));
  return { readyMsMedian: median(samples.map((s) => s.wallMs)), cpuMsMedian: median(samples.map((s) => s.cpuMs)) };
}

export async function runStartupBench({ runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7) } = {}) {
  const bare = await measure(["--input-type=module", "-e", BARE_FASTIFY], runs);
  const simulated = await measure([CLI, "--runtime", "simulated", "--port", "0", "--log-level", "warn"], runs);
  const auto = await measure([CLI, "--port", "0", "--log-level", "warn"], runs);
  const prelude = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [join(ROOT, "scripts/build-if-stale.mjs")], { cwd: ROOT, stdio: "ignore" });
    prelude.push(performance.now() - t);
  }
  const ratio = (x) => (x && bare.cpuMsMedian ? Number((x / bare.cpuMsMedian).toFixed(2)) : null);
  return {
    runs,
    bareFastify: bare,
    simulatedRuntime: { ...simulated, cpuVsBareFastify: ratio(simulated.cpuMsMedian) },
    defaultRuntime: { ...auto, cpuVsBareFastify: ratio(auto.cpuMsMedian) },
    npmStartPreludeMsMedian: median(prelude),
    target: { readyMs: TARGET_READY_MS, met: simulated.readyMsMedian !== null && simulated.readyMsMedian < TARGET_READY_MS },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await runStartupBench(), null, 2));
}
