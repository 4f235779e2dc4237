import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The package as a user gets it: a checkout without dist/ is packed (npm runs `prepare`, as it does
 * for a git-URL install), the tarball is installed into a fresh project from the local npm cache
 * (no network: the lockfile below pins what the repository's own lockfile pins), and the README's
 * snippets run there unchanged against `import ... from "ecs-sim"`.
 */
const run = promisify(execFile);
const repo = join(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "ecs-sim-pack-"));
const checkout = join(work, "checkout");
const project = join(work, "project");
let packed: { filename: string; files: { path: string }[] };

/** What a build needs from a clean checkout; dist/ deliberately absent. */
const CHECKOUT_FILES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "README.md", "LICENSE", "src", "scripts", "ui"];

/** Only npm's own settings from the parent `npm test` may reach the nested npm: no lifecycle state. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
}

/** A lockfile for the scratch project: ecs-sim from the tarball, its dependencies as the repository pins them. */
function scratchLock(tarball: string): unknown {
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as Record<string, unknown>;
  const packages: Record<string, unknown> = {
    "": { name: "scratch", dependencies: { "ecs-sim": `file:${tarball}` } },
    "node_modules/ecs-sim": {
      version: pkg["version"],
      resolved: `file:${tarball}`,
      license: pkg["license"],
      dependencies: pkg["dependencies"],
      bin: pkg["bin"],
      engines: pkg["engines"],
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== "" && !entry["dev"]) packages[path] = entry;
  }
  // Platform packages of an optional native part that the repository's lock leaves out must not be asked for.
  for (const entry of Object.values(packages) as Record<string, unknown>[]) {
    const optional = entry["optionalDependencies"] as Record<string, string> | undefined;
    if (!optional) continue;
    entry["optionalDependencies"] = Object.fromEntries(Object.entries(optional).filter(([name]) => `node_modules/${name}` in packages));
  }
  return { name: "scratch", lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  mkdirSync(checkout);
  for (const f of CHECKOUT_FILES) cpSync(join(repo, f), join(checkout, f), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(checkout, "node_modules"), "dir");
  const out = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: checkout, env: npmEnv(), timeout: 240_000 });
  packed = (JSON.parse(out.stdout) as (typeof packed)[])[0]!;

  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module", dependencies: { "ecs-sim": `file:../${packed.filename}` } }));
  writeFileSync(join(project, "package-lock.json"), JSON.stringify(scratchLock(`../${packed.filename}`)));
  // Offline from the cache that `npm ci` filled; scripts off, as no dependency needs one to import.
  await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: project, env: npmEnv(), timeout: 180_000 });
}, 480_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function readmeSnippet(name: string): string {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const m = new RegExp(`<!-- ${name}:start -->\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- ${name}:end -->`).exec(readme);
  if (!m) throw new Error(`README snippet ${name} is missing`);
  return m[1]!;
}

async function runInProject(file: string, source: string): Promise<string> {
  writeFileSync(join(project, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: project, timeout: 90_000 });
  return stdout;
}

describe("the npm package", () => {
  it("is built by `prepare` from a checkout without dist/, and ships dist, the LICENSE and the README only", () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/cli.js", "LICENSE", "README.md", "package.json"]));
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
  });

  it("carries the full Apache-2.0 text that package.json names", () => {
    const license = readFileSync(join(repo, "LICENSE"), "utf8");
    expect(JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).license).toBe("Apache-2.0");
    expect(license).toMatch(/^\s*Apache License\n\s*Version 2\.0, January 2004\n/);
    expect(license).toContain("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });

  it("installs into a fresh project, where `import { startSimulator } from \"ecs-sim\"` starts a simulator", async () => {
    const out = await runInProject(
      "start.mjs",
      [
        'import { startSimulator } from "ecs-sim";',
        'const sim = await startSimulator({ runtime: "simulated" });',
        'const health = await (await fetch(`${sim.endpoint}/_sim/health`)).json();',
        "await sim.close();",
        "console.log(JSON.stringify(health));",
      ].join("\n"),
    );
    expect(JSON.parse(out)).toMatchObject({ status: "ok", version: "0.1.0", runtime: "simulated" });
  });

  it("puts the ecs-sim command on the project's PATH", async () => {
    const { stdout } = await run(join(project, "node_modules/.bin/ecs-sim"), ["--version"], { cwd: project, timeout: 30_000 });
    expect(stdout.trim()).toBe("0.1.0");
  });
});

describe("the README's test-suite snippets, as written, against the installed package", () => {
  it("the real-clock example runs a task to RUNNING with the SDK waiter", async () => {
    expect(await runInProject("readme-real.mjs", readmeSnippet("test-snippet"))).toBe("");
  });

  it("the virtual-clock example prints what its comments say", async () => {
    const snippet = readmeSnippet("virtual-snippet");
    const promised = [...snippet.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
    expect(promised).toEqual(["RUNNING -", "STOPPED 0"]);
    expect((await runInProject("readme-virtual.mjs", snippet)).trim().split("\n")).toEqual(promised);
  });
});
