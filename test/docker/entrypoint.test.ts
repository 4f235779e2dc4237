import { afterAll, describe, expect, it } from "vitest";
import { chownSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

/**
 * The image cannot be built here (no registry for its base image), so what can be tested
 * without building is: the entry point's choice of user and groups, and that the Dockerfile
 * ships what the simulator needs.
 */
const ROOT = join(import.meta.dirname, "../..");
const ENTRYPOINT = join(ROOT, "docker/entrypoint.sh");
const isRoot = process.getuid?.() === 0;

function entrypoint(socket: string, args: string[]) {
  const r = spawnSync("sh", [ENTRYPOINT, ...args], { env: { PATH: process.env.PATH, ECS_SIM_DOCKER_SOCKET: socket, ECS_SIM_ENTRYPOINT_DRY_RUN: "1" }, encoding: "utf8" });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe.skipIf(!isRoot)("the image's entry point (as root, as the container starts)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-sim-entry-"));
  const servers: Server[] = [];
  const socketWithGroup = async (name: string, gid: number) => {
    const path = join(dir, name);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    servers.push(server);
    chownSync(path, 0, gid);
    return path;
  };
  afterAll(() => servers.forEach((s) => s.close()));

  it("runs the simulator as node with the mounted socket's group, flags passed through", async () => {
    const socket = await socketWithGroup("docker.sock", 4242);
    expect(entrypoint(socket, ["--port", "5000", "--seed", "1"])).toEqual({
      status: 0,
      out: "setpriv --reuid=node --regid=node --groups=4242 --inh-caps=-all node /app/dist/cli.js --port 5000 --seed 1",
      err: "",
    });
  });

  it("stays root, and says why, when only root may use the socket", async () => {
    const socket = await socketWithGroup("root.sock", 0);
    const r = entrypoint(socket, []);
    expect(r.out).toBe("node /app/dist/cli.js");
    expect(r.err).toMatch(/belongs to group 0; running as root/);
  });

  it("drops to node without extra groups when no socket is mounted", () => {
    expect(entrypoint(join(dir, "missing.sock"), []).out).toBe("setpriv --reuid=node --regid=node --init-groups --inh-caps=-all node /app/dist/cli.js");
  });
});

describe("the Dockerfile", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");

  it("ships the build, the dashboard and the entry point, on a current Node line", () => {
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^COPY ui \.\/ui$/m);
    expect(dockerfile).toMatch(/^COPY docker\/entrypoint\.sh \/usr\/local\/bin\/ecs-sim-entrypoint$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/ecs-sim-entrypoint"\]$/m);
  });

  it("listens on every interface inside the container and health-checks the configured port", () => {
    expect(dockerfile).toMatch(/ECS_SIM_HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/HEALTHCHECK .*process\.env\.ECS_SIM_PORT\|\|4599/);
  });
});
