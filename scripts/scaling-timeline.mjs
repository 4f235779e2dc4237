// Runs the shipped queue-depth-spot scenario minute by minute and saves docs/scaling-timeline.png:
// desired and running task counts and the queue depth over time, drawn with the dashboard's uPlot
// in Debian's chromium. Needs a build (npm run build).
//   node scripts/scaling-timeline.mjs [out.png]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { startSimulator } from "../dist/index.js";

const out = process.argv[2] ?? new URL("../docs/scaling-timeline.png", import.meta.url).pathname;
const scenario = new URL("../fixtures/scenarios/queue-depth-spot.yaml", import.meta.url).pathname;
const DEPTH = { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: "jobs" }] };

// The same sampling as test/scenario/queue-depth.test.ts: one row a minute for 32 minutes.
const sim = await startSimulator({ scenario });
const metrics = sim.simulator.ctx.store.region("000000000000", "us-east-1").metrics;
const rows = [];
try {
  for (let m = 0; m <= 32; m++) {
    const now = sim.simulator.ctx.clock.now();
    const service = (await sim.simulator.invoke("DescribeServices", { cluster: "jobs", services: ["queue-worker"] })).services[0];
    const depth = metrics.statistics(DEPTH, "Maximum", now, now + 60_000, 60_000)[0]?.value ?? null;
    rows.push([m, service.desiredCount, service.runningCount, depth]);
    await sim.advanceClock(60_000);
  }
} finally {
  await sim.close();
}

const require = createRequire(import.meta.url);
const uplotJs = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
const data = [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])];
const page = `<!doctype html><html><head><style>${uplotCss}
body { font: 14px "DejaVu Sans", sans-serif; margin: 16px; background: #fff; color: #222; }
h1 { font-size: 17px; margin: 0 0 4px; } p { margin: 0 0 10px; color: #555; }</style></head><body>
<h1>queue-depth-spot: step scaling on SQS depth into a 20-vCPU FARGATE_SPOT quota</h1>
<p>4 vCPU / 10 GB tasks: at most 5 run; desired count climbs to the maximum of 10 (the rest cannot be placed), then scales in as the queue drains.</p>
<div id="plot"></div>
<script>${uplotJs}</script>
<script>
const data = ${JSON.stringify(data)};
new uPlot({
  width: 1000, height: 420,
  legend: { live: false },
  cursor: { show: false },
  scales: { x: { time: false }, tasks: { range: [0, 11] }, depth: { range: [0, 2600] } },
  axes: [
    { label: "minutes since the scenario started" },
    { scale: "tasks", label: "tasks" },
    { scale: "depth", side: 1, label: "messages visible", grid: { show: false } },
  ],
  series: [
    { label: "minute" },
    { label: "desired count", scale: "tasks", stroke: "#1f6feb", width: 2.5, paths: uPlot.paths.stepped({ align: 1 }) },
    { label: "running count", scale: "tasks", stroke: "#2da44e", width: 2.5, dash: [6, 4], paths: uPlot.paths.stepped({ align: 1 }) },
    { label: "ApproximateNumberOfMessagesVisible", scale: "depth", stroke: "#cf222e", fill: "rgba(207,34,46,0.08)", width: 1.5, paths: uPlot.paths.stepped({ align: 1 }) },
  ],
}, data, document.getElementById("plot"));
document.body.dataset.ready = "1";
</script></body></html>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1040, height: 540 } });
  await tab.setContent(page);
  await tab.waitForSelector("body[data-ready='1'] .u-over");
  await tab.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
