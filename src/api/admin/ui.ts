import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/**
 * The dashboard: static files from the package's `ui/` folder plus two vendored libraries
 * (preact+htm in one 13 KB module, uPlot for charts), read once and served from memory. No build
 * step: the browser loads ES modules as they are.
 */
const require = createRequire(import.meta.url);
const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../ui");

const ASSETS: Record<string, { file: () => string; type: string }> = {
  "index.html": { file: () => join(UI_DIR, "index.html"), type: "text/html; charset=utf-8" },
  "app.js": { file: () => join(UI_DIR, "app.js"), type: "text/javascript; charset=utf-8" },
  "style.css": { file: () => join(UI_DIR, "style.css"), type: "text/css; charset=utf-8" },
  "vendor/htm-preact.js": {
    file: () => join(dirname(require.resolve("htm")), "../preact/standalone.module.js"),
    type: "text/javascript; charset=utf-8",
  },
  "vendor/uPlot.js": { file: () => join(dirname(require.resolve("uplot")), "uPlot.iife.min.js"), type: "text/javascript; charset=utf-8" },
  "vendor/uPlot.css": { file: () => join(dirname(require.resolve("uplot")), "uPlot.min.css"), type: "text/css; charset=utf-8" },
};

export function registerDashboardRoutes(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  const load = (name: string): Buffer => {
    let body = cache.get(name);
    if (!body) {
      body = readFileSync(ASSETS[name]!.file());
      cache.set(name, body);
    }
    return body;
  };

  app.get("/", async (_req, reply) => reply.redirect("/_sim/ui/"));
  app.get("/_sim/ui", async (_req, reply) => reply.redirect("/_sim/ui/"));
  app.get("/_sim/ui/*", async (req, reply) => {
    const name = (req.params as { "*": string })["*"] || "index.html";
    if (!Object.hasOwn(ASSETS, name)) return reply.code(404).send({ error: "NotFound", message: `no dashboard file ${name}` });
    return reply.type(ASSETS[name]!.type).header("cache-control", "no-cache").send(load(name));
  });
}
