import type { FastifyReply, FastifyRequest } from "fastify";
import { nestingDepth } from "../json-body.js";

/**
 * Every /_sim error answers with one JSON shape, `{"error": <code>, "message": <text>}`:
 * BadRequest (400), NotFound (404), ClockNotVirtual (409), PayloadTooLarge (413),
 * TooManyStreams (503) and InternalError (500). The README's admin section lists them.
 */
export type AdminErrorCode = "BadRequest" | "NotFound" | "ClockNotVirtual" | "PayloadTooLarge" | "TooManyStreams" | "InternalError";

export function adminError(reply: FastifyReply, status: number, error: AdminErrorCode, message: string): FastifyReply {
  return reply.code(status).type("application/json").send({ error, message });
}

export function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return adminError(reply, 400, "BadRequest", message);
}

/** Admin bodies are small settings objects; anything deeper than this is a mistake. */
const MAX_ADMIN_DEPTH = 32;

/**
 * The request body as a JSON object; an empty body is `{}` when `emptyIsObject`. Returns an Error
 * whose message is the 400 to send.
 */
export function jsonBody(raw: unknown, emptyIsObject: boolean): Record<string, unknown> | Error {
  let body: unknown = raw;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (text.trim() === "" && emptyIsObject) return {};
    if (nestingDepth(text, MAX_ADMIN_DEPTH) > MAX_ADMIN_DEPTH) return new Error(`body is nested more than ${MAX_ADMIN_DEPTH} levels deep`);
    try {
      body = JSON.parse(text);
    } catch {
      return new Error("body must be a JSON object");
    }
  }
  if ((body === undefined || body === null) && emptyIsObject) return {};
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    return new Error("body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

export function isAdminUrl(url: string): boolean {
  return url === "/_sim" || url.startsWith("/_sim/") || url.startsWith("/_sim?");
}

/** An error thrown on an admin route, in the admin shape: the client's fault is a 4xx, a bug a logged 500. */
export function sendAdminFailure(
  ctx: { logger: { error(msg: string, fields?: Record<string, unknown>): void } },
  req: FastifyRequest,
  reply: FastifyReply,
  err: Error & { statusCode?: number },
): FastifyReply {
  const status = err.statusCode;
  if (status === 413) return adminError(reply, 413, "PayloadTooLarge", err.message);
  if (status && status >= 400 && status < 500) return adminError(reply, 400, "BadRequest", err.message);
  ctx.logger.error(`internal error on ${req.method} ${req.url}`, { error: String(err.stack ?? err) });
  return adminError(reply, 500, "InternalError", "The simulator failed on this request; its log has the details.");
}
