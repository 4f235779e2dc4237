import type { FastifyInstance } from "fastify";
import { CapacityConfigError, type CapacityShortages } from "../../scheduler/capacity-shortages.js";
import { badRequest, jsonBody } from "./errors.js";

/**
 * Admin routes for Fargate capacity shortages (simulator-only, not part of the ECS API):
 *   GET    /_sim/capacity   shortages in force and refusal counts
 *   PUT    /_sim/capacity   {FARGATE_SPOT?: {probability?, until?|forMs?, account?, region?} | null, FARGATE?: ...}
 *                           sets (or with null clears) a provider's shortage; providers left out keep theirs
 *   DELETE /_sim/capacity   ends every shortage
 * Bad input is a 400 `{ error: "BadRequest", message }` naming the offending field.
 */
export function registerCapacityAdminRoutes(app: FastifyInstance, capacity: CapacityShortages): void {
  app.get("/_sim/capacity", async () => capacity.view());

  app.put("/_sim/capacity", async (request, reply) => {
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    try {
      return capacity.set(body);
    } catch (err) {
      if (err instanceof CapacityConfigError) return badRequest(reply, err.message);
      throw err;
    }
  });

  app.delete("/_sim/capacity", async () => capacity.clear());
}
