import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { formatIssues, QuotaPatchSchema, QuotasConfigError } from "../../quotas/config.js";
import type { LimitsEngine } from "../../quotas/engine.js";
import { badRequest, jsonBody } from "./errors.js";

/**
 * Admin routes of the limits engine (simulator-only, not part of the ECS API):
 *   GET /_sim/quotas[?account=&region=]  profile, configured layers, values in force
 *   PUT /_sim/quotas                      partial patch of one layer, applied at once
 *   DELETE /_sim/quotas[/<key>[/<name>]][?account=&region=]
 *                                         put one setting of one layer (or everything) back to
 *                                         its startup value, e.g. /_sim/quotas/vcpu/spot
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
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    const patch = QuotaPatchSchema.safeParse(body);
    if (!patch.success) return badRequest(reply, `invalid quotas patch: ${formatIssues(patch.error)}`);
    return engine.putQuotas(patch.data);
  });

  const restore = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = ScopeQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return badRequest(reply, `invalid query: ${formatIssues(query.error)}`);
    const path = ((request.params as Record<string, string | undefined>)["*"] ?? "").split("/").filter((p) => p !== "");
    try {
      return engine.restoreQuotas(path, query.data);
    } catch (err) {
      if (err instanceof QuotasConfigError) return badRequest(reply, err.message);
      throw err;
    }
  };
  app.delete("/_sim/quotas", restore);
  app.delete("/_sim/quotas/*", restore);

  app.get("/_sim/usage", async () => engine.usage());

  app.get("/_sim/throttles", async (request, reply) => {
    const query = SinceQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return badRequest(reply, `invalid query: ${formatIssues(query.error)}`);
    const decisions = engine.decisions(query.data.since);
    return { decisions, count: decisions.length };
  });
}
