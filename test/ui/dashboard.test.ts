import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, call, FARGATE_DEF, ok } from "../helpers/sim.js";

/**
 * The dashboard in a real browser (Debian's chromium, driven by playwright-core). Without a
 * browser the suite skips and says so; CI installs one and sets ECS_SIM_REQUIRE_BROWSER=1.
 */
const executablePath = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const required = process.env.ECS_SIM_REQUIRE_BROWSER === "1";
if (!executablePath) {
  if (required) throw new Error("ECS_SIM_REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium, or set CHROMIUM_PATH)");
  console.warn("[ecs-sim] dashboard browser tests SKIPPED: no chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
}
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts");

describe.skipIf(!executablePath)("dashboard in Chromium", () => {
  let sim: RunningSimulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 77, quotas: { profile: "aws-default" } });
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  });

  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });

  it("shows the seed and a task that appears, then moves to RUNNING when the clock button advances time", async () => {
    await page.goto(`${sim.endpoint}/`);
    await page.waitForSelector('[data-testid="seed"]:text("77")');
    expect(await page.textContent("h1")).toMatch(/^ecs-sim /);

    await ok(sim, "CreateCluster", { clusterName: "ui" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const run = await ok(sim, "RunTask", { cluster: "ui", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: AWSVPC });
    const id = run.tasks[0].taskArn.split("/").pop();
    await page.waitForSelector(`tr[data-task="${id}"] td.PROVISIONING`);

    await page.click('[data-testid="advance-1m"]');
    await page.waitForSelector(`tr[data-task="${id}"] td.RUNNING`);
    await page.waitForSelector('[data-testid="vcpu-us-east-1-on-demand"]:has-text("0.25 / 6")');
    await page.waitForSelector('[data-testid="events"] td.RUNNING');
  });

  it("shows a throttle on the limit-decision timeline", async () => {
    await admin(sim, "PUT", "/_sim/quotas", { buckets: { "cluster-read": { burst: 1, sustained: 1 } } });
    const answers = [await call(sim, "ListClusters"), await call(sim, "ListClusters"), await call(sim, "ListClusters")];
    expect(answers.map((a) => a.status)).toEqual([200, 400, 400]);
    await page.waitForSelector('[data-testid="decisions"] tr:has-text("ListClusters")');
    expect(await page.locator('[data-testid="decisions"] td.refused').first().textContent()).toBe("throttle");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
  });
});
