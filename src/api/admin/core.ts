import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { encodeBody } from "../protocol.js";
import { adminError, badRequest, jsonBody } from "./errors.js";

export interface CoreAdminDeps {
  version: string;
  runtime: string;
  clock: { kind: "real" | "virtual"; now(): number };
  seed: number;
  timing: string;
  reset(): Promise<void>;
  state(): unknown;
  /** Present only under the virtual clock. */
  advance?: (ms: number) => Promise<number>;
}

const AdvanceBody = z.object({ ms: z.number().int().min(0).max(365 * 24 * 3_600_000) });

/** Health, reset, state dump and the virtual clock: what every test harness needs. */
export function registerCoreAdminRoutes(app: FastifyInstance, deps: CoreAdminDeps): void {
  app.get("/_sim/health", async () => ({
    status: "ok",
    version: deps.version,
    runtime: deps.runtime,
    clock: deps.clock.kind,
    now: new Date(deps.clock.now()).toISOString(),
    seed: deps.seed,
    timing: deps.timing,
  }));

  app.post("/_sim/reset", async () => {
    await deps.reset();
    return { status: "reset" };
  });

  app.get("/_sim/state", async (_req, reply) => {
    void reply.type("application/json").send(encodeBody(deps.state()));
  });

  app.post("/_sim/clock/advance", async (req, reply) => {
    if (!deps.advance) {
      return adminError(reply, 409, "ClockNotVirtual", "The clock is real; start with --clock virtual to advance it.");
    }
    const body = jsonBody(req.body, true);
    const parsed = body instanceof Error ? undefined : AdvanceBody.safeParse(body);
    if (!parsed?.success) return badRequest(reply, 'Body must be {"ms": <non-negative integer>}.');
    const now = await deps.advance(parsed.data.ms);
    return { now: new Date(now).toISOString(), nowMs: now };
  });
}
