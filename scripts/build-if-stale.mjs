#!/usr/bin/env node
/**
 * `npm start` builds only when dist/ is older than what it is built from: a start with nothing
 * changed skips the TypeScript compiler (seconds on a loaded machine) and goes straight to
 * `node dist/cli.js`. A stamp written after a successful build marks dist/ as current, so a
 * build that failed half-way is retried next time.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const INPUTS = ["src", "package.json", "tsconfig.json", "tsconfig.build.json"];
export const STAMP = join("dist", ".build-stamp");

/** The newest modification time among the build's inputs (files under src/ included). */
export function newestInput(root) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const input of INPUTS) visit(join(root, input));
  return newest;
}

export function isStale(root) {
  const stamp = join(root, STAMP);
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestInput(root);
}

/** Builds with `build` when stale; returns whether it built. Throws when the build fails. */
export function buildIfStale(root, build) {
  if (!isStale(root)) return false;
  build(root);
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
  return true;
}

function npmBuild(root) {
  const res = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) throw new Error(`npm run build failed (exit ${res.status})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
  try {
    buildIfStale(root, npmBuild);
  } catch (err) {
    process.stderr.write(`ecs-sim: ${err.message}\n`);
    process.exit(1);
  }
}
