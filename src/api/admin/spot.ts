import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { SpotConfigError } from "../../scheduler/spot/config.js";
import { SpotSelectionError, type SpotInterruptions } from "../../scheduler/spot/interruptions.js";
import { badRequest, jsonBody } from "./errors.js";

/**
 * Admin routes for Fargate Spot interruptions (simulator-only, not part of the ECS API):
 *   POST /_sim/spot/interruptions   interrupt matching RUNNING FARGATE_SPOT tasks now:
 *                                   {taskArns?, cluster?, service?, count?, fraction?, account?, region?}
 *                                   -> {interrupted: [...], matched, skipped: [{task, reason}]}
 *   GET  /_sim/spot/interruptions[?since=epochMs]   interruptions so far (random and on demand)
 *   GET  /_sim/spot                 warning length, random rate, pending random interruptions
 *   PUT  /_sim/spot                 {warningMs?, random?: {meanIntervalMs} | {probabilityPerMinute} | null}
 * Bad input is a 400 `{ error: "BadRequest", message }` naming the offending field (errors.ts).
 */
const SinceQuerySchema = z
  .object({ since: z.string().regex(/^\d+$/, "since must be epoch milliseconds").transform(Number).optional() })
  .strict();

export function registerSpotAdminRoutes(app: FastifyInstance, spot: SpotInterruptions): void {
  app.post("/_sim/spot/interruptions", async (request, reply) => {
    const body = jsonBody(request.body, true);
    if (body instanceof Error) return badRequest(reply, body.message);
    try {
      return spot.interrupt(body as Record<string, unknown>);
    } catch (err) {
      if (err instanceof SpotSelectionError) return badRequest(reply, err.message);
      throw err;
    }
  });

  app.get("/_sim/spot/interruptions", async (request, reply) => {
    const query = SinceQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return badRequest(reply, `invalid query: ${query.error.issues.map((i) => i.message).join("; ")}`);
    const interruptions = spot.history(query.data.since);
    return { interruptions, count: interruptions.length };
  });

  app.get("/_sim/spot", async () => spot.view());

  app.put("/_sim/spot", async (request, reply) => {
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    try {
      return spot.configure(body as Record<string, unknown>);
    } catch (err) {
      if (err instanceof SpotConfigError) return badRequest(reply, err.message);
      throw err;
    }
  });
}
