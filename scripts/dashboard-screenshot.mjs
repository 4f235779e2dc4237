// Renders the dashboard during a shipped incident scenario and saves docs/dashboard.png, the
// picture in the README. Needs a build (npm run build) and Debian's chromium.
//   node scripts/dashboard-screenshot.mjs [out.png]
import { chromium } from "playwright-core";
import { startSimulator } from "../dist/index.js";

const out = process.argv[2] ?? new URL("../docs/dashboard.png", import.meta.url).pathname;
const sim = await startSimulator({ scenario: new URL("../fixtures/scenarios/spot-storm-deploy.yaml", import.meta.url).pathname, quotas: { profile: "aws-default", overrides: { vcpu: { spot: 6 } } } });
const call = async (operation, body = {}) => {
  const res = await fetch(sim.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonEC2ContainerServiceV20141113.${operation}` },
    body: JSON.stringify(body),
  });
  return res.json();
};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  await page.goto(`${sim.endpoint}/`);
  // Through the timeline: the deployment, two waves of reclaims, and a poller that trips a bucket.
  for (let s = 0; s < 100; s += 5) {
    await sim.advanceClock(5_000);
    if (s === 70) for (let i = 0; i < 60; i++) await call("DescribeClusters", { clusters: ["batch"] });
  }
  await page.waitForSelector('[data-testid="decisions"] td.refused');
  await page.waitForSelector('[data-testid="events"] tr');
  await page.screenshot({ path: out, fullPage: false });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
  await sim.close();
}
