import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { formatIssues, QuotaPatchSchema } from "../../quotas/config.js";
import type { LimitsEngine } from "../../quotas/engine.js";

/**
 * Admin routes of the limits engine (simulator-only, not part of the ECS API):
 *   GET /_sim/quotas[?account=&region=]  profile, configured layers, values in force
 *   PUT /_sim/quotas                      partial patch of one layer, applied at once
 *   GET /_sim/usage                       vCPU in use, bucket levels, open registration windows
 *   GET /_sim/throttles[?since=epochMs]   logged limit decisions, oldest first
 * Bad input is a 400 `{ error: "BadRequest", message }` naming the offending field.
 */
const ScopeQuerySchema = z
  .object({ account: z.string().min(1).optional(), region: z.string().min(1).optional() })
  .strict();

const SinceQuerySchema = z
  .object({
    since: z
      .string()
      .regex(/^\d+$/, "since must be epoch milliseconds (a non-negative integer)")
      .transform(Number)
      .optional(),
  })
  .strict();

export function registerQuotaAdminRoutes(app: FastifyInstance, engine: LimitsEngine): void {
  app.get("/_sim/quotas", async (request, reply) => {
    const query = ScopeQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return badRequest(reply, `invalid query: ${formatIssues(query.error)}`);
    return engine.getQuotas(query.data);
  });

  app.put("/_sim/quotas", async (request, reply) => {
    let body: unknown = request.body;
    if (typeof body === "string" || Buffer.isBuffer(body)) {
      try {
        body = JSON.parse(body.toString());
      } catch {
        return badRequest(reply, "body must be a JSON object");
      }
    }
    if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
      return badRequest(reply, "body must be a JSON object");
    }
    const patch = QuotaPatchSchema.safeParse(body);
    if (!patch.success) return badRequest(reply, `invalid quotas patch: ${formatIssues(patch.error)}`);
    return engine.putQuotas(patch.data);
  });

  app.get("/_sim/usage", async () => engine.usage());

  app.get("/_sim/throttles", async (request, reply) => {
    const query = SinceQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return badRequest(reply, `invalid query: ${formatIssues(query.error)}`);
    const decisions = engine.decisions(query.data.since);
    return { decisions, count: decisions.length };
  });
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: "BadRequest", message });
}
