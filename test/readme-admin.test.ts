import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { admin, call, virtualSim } from "./helpers/sim.js";

/** The README's admin table and recipes, checked against the routes and knobs the simulator has. */
const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");

function adminTable(): string {
  const start = readme.indexOf("| Route | What it does |");
  const end = readme.indexOf("\n\n", start);
  if (start < 0) throw new Error("README admin table is missing");
  return readme.slice(start, end);
}

/** "METHOD /path" for every route fastify holds, path parameters written as `{}`, HEAD left out. */
function registeredRoutes(sim: RunningSimulator): string[] {
  const tree = sim.simulator.app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^([│ ]*)[└├]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const path = stack.join("").replace(/\/\//g, "/").replace(/:[^/]+/g, "{}");
    for (const method of m[3]!.split(", ")) if (method !== "HEAD") routes.push(`${method} ${path}`);
  }
  return normalize(routes.filter((r) => r.includes("/_sim/")));
}

/** A directory route and its wildcard (`/x`, `/x/*`) are one row, `/x/`; so is `/x[/<optional>]`. */
function normalize(routes: string[]): string[] {
  return [...new Set(routes.map((r) => r.replace(/\/?\*?$/, "")))].sort();
}

function documentedRoutes(): string[] {
  const documented = [...adminTable().matchAll(/`(GET|POST|PUT|DELETE) (\/_sim\/[^`]*)`/g)].map((m) => `${m[1]} ${m[2]!.replace(/\[.*\]$/, "").replace(/<[^>]+>/g, "{}")}`);
  return normalize(documented);
}

let sim: RunningSimulator;
beforeAll(async () => {
  // A limits profile other than `unlimited`, so the quota routes are there too.
  sim = await virtualSim({ quotas: { profile: "aws-default" } });
});
afterAll(async () => {
  await sim.close();
});

describe("README admin table", () => {
  it("lists every /_sim route the simulator registers, and no other", () => {
    const registered = registeredRoutes(sim);
    expect(registered.length).toBeGreaterThan(10);
    expect(documentedRoutes()).toEqual(registered);
  });

  it("names the query parameters each route reads, and each one is accepted", async () => {
    const table = adminTable();
    const queries: [string, string][] = [
      ["/_sim/quotas", "account=000000000000&region=us-east-1"],
      ["/_sim/throttles", "since=0"],
      ["/_sim/events", "since=0&detailType=ECS%20Task%20State%20Change&cluster=default&limit=5"],
      ["/_sim/spot/interruptions", "since=0"],
    ];
    for (const [route, query] of queries) {
      const row = table.split("\n").find((l) => l.includes("`GET " + route + "`"))!;
      for (const name of query.split("&").map((p) => p.split("=")[0]!)) expect(row, `${route} ?${name}=`).toContain(`\`?${name}=\``);
      expect((await admin(sim, "GET", `${route}?${query}`)).status, `${route}?${query}`).toBe(200);
    }
    expect(table).toContain("`?container=`");
    expect(table).toContain("`?stream=1`");
  });
});

describe("README chaos recipe", () => {
  it("names both knobs, and the config it shows produces ThrottlingException and ServerException", async () => {
    const m = /`quotas\.chaos: (\{.*?\})` in the config file/.exec(readme);
    expect(m).not.toBeNull();
    const chaos = JSON.parse(m![1]!) as Record<string, Record<string, number>>;
    expect(Object.keys(chaos["RunTask"]!).sort()).toEqual(["serverErrorProbability", "throttleProbability"]);
    const chaotic = await virtualSim({ quotas: { profile: "unlimited", chaos } });
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 300; i++) seen.add((await call(chaotic, "RunTask", { taskDefinition: "nope" })).body.__type);
      expect(seen).toContain("ThrottlingException");
      expect(seen).toContain("ServerException");
    } finally {
      await chaotic.close();
    }
  });
});
