import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** `npm start` (prestart) and `npm test` (pretest) compile only when a build input is newer than dist/. */
interface BuildIfStale {
  buildIfStale(root: string, build: (root: string) => void): boolean;
}
const script = join(import.meta.dirname, "../../scripts/build-if-stale.mjs");
const { buildIfStale } = (await import(script)) as BuildIfStale;

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "ecs-sim-stale-"));
  mkdirSync(join(root, "src/api"), { recursive: true });
  for (const f of ["package.json", "tsconfig.json", "tsconfig.build.json", "src/cli.ts", "src/api/server.ts"]) writeFileSync(join(root, f), "{}");
  return root;
}

const fakeBuild = (builds: string[]) => (root: string) => {
  mkdirSync(join(root, "dist"), { recursive: true });
  builds.push(root);
};

const later = (path: string) => {
  const t = new Date(Date.now() + 60_000);
  utimesSync(path, t, t);
};

describe("build-if-stale", () => {
  it("builds a checkout without dist/, then not again while nothing changed", () => {
    const root = project();
    const builds: string[] = [];
    expect(buildIfStale(root, fakeBuild(builds))).toBe(true);
    expect(buildIfStale(root, fakeBuild(builds))).toBe(false);
    expect(builds).toHaveLength(1);
  });

  it.each(["src/api/server.ts", "package.json", "tsconfig.build.json"])("builds again when %s is newer than the last build", (input) => {
    const root = project();
    const builds: string[] = [];
    buildIfStale(root, fakeBuild(builds));
    later(join(root, input));
    expect(buildIfStale(root, fakeBuild(builds))).toBe(true);
    expect(builds).toHaveLength(2);
  });

  it("a failed build leaves dist/ stale, so the next start tries again", () => {
    const root = project();
    expect(() =>
      buildIfStale(root, () => {
        throw new Error("tsc failed");
      }),
    ).toThrow("tsc failed");
    const builds: string[] = [];
    expect(buildIfStale(root, fakeBuild(builds))).toBe(true);
  });
});
