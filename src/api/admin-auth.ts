import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";

export const ADMIN_TOKEN_HEADER = "x-ecs-sim-admin-token";

/**
 * With a token configured, every admin route (/_sim/...) needs it, as `Authorization: Bearer
 * <token>` or `x-ecs-sim-admin-token: <token>`, except GET /_sim/health, which container and
 * orchestrator health checks call and which changes and reveals nothing secret. The decision uses
 * the matched route, not the raw URL, so no spelling of a path (percent-encoding, case) reaches
 * an admin handler without it.
 */
export function requireAdminToken(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook("onRequest", async (req, reply) => {
    const route = req.routeOptions.url ?? "";
    if (!route.startsWith("/_sim") || (route === "/_sim/health" && req.method === "GET")) return;
    const given = presentedToken(req);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
    return reply
      .code(401)
      .header("www-authenticate", 'Bearer realm="ecs-sim admin"')
      .type("application/json")
      .send({
        error: "Unauthorized",
        message: `The admin API needs the admin token: send "Authorization: Bearer <token>" or "${ADMIN_TOKEN_HEADER}: <token>".`,
      });
  });
}

function presentedToken(req: FastifyRequest): string | undefined {
  const header = req.headers[ADMIN_TOKEN_HEADER];
  if (typeof header === "string") return header;
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return m?.[1]?.trim();
}

/** Fixed-length digests make the comparison constant-time whatever the lengths. */
function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}
