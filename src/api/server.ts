import { createRequire } from "node:module";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import type { SimContext } from "../context.js";
import {
  AwsError,
  ClientException,
  SerializationException,
  ServerException,
  UnknownOperationException,
} from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { ECS_OPERATIONS, type OperationTable, type RequestContext } from "./operation.js";
import { callerFrom, ECS_TARGET_PREFIX, encodeBody, JSON_CONTENT_TYPE } from "./protocol.js";
import { adminError, isAdminUrl, sendAdminFailure } from "./admin/errors.js";
import { parseJsonBody } from "./json-body.js";
import { validationError } from "./validation.js";
import { parseQueryParams, queryError, queryResponse } from "./query-protocol.js";
import { requireAdminToken } from "./admin-auth.js";
import { SignatureVerifier, type IssuedCredentials } from "./signature.js";

const KNOWN = new Set<string>(ECS_OPERATIONS);
/** Operations that only read (ECS and CloudWatch Logs): the ones pollers call in loops. */
const READ_OPERATION = /^(Describe|List|Get|Filter)/;

/** A handler for a whole other JSON target prefix served on the same endpoint (e.g. CloudWatch Logs). */
export interface ExtraTarget {
  prefix: string;
  handle(operation: string, input: unknown, req: RequestContext): unknown;
}

/**
 * Sees every API call (POST /) and every admin change (a /_sim request other than GET and clock
 * advances) from arrival to answer, e.g. to record a tape.
 */
export interface CallObserver {
  /** A call arrived; what it returns comes back with the answer (arrival order, calls in flight). */
  arrived(): unknown;
  answered(arrival: unknown, call: ObservedCall): void;
}

export interface ObservedCall {
  kind: "api" | "admin";
  method: string;
  url: string;
  target: string;
  authorization: string | undefined;
  body: string;
  status: number;
  payload: string;
}

/** A service served in the AWS query protocol (form-encoded `Action=…&Version=…`, XML answers). */
export interface FormTarget {
  version: string;
  xmlns: string;
  /** Members whose values are numbers or booleans (the form carries only strings). */
  numeric: ReadonlySet<string>;
  boolean: ReadonlySet<string>;
  /** The query protocol's error code for an error (often the type without "Exception"). */
  errorCode(err: AwsError): string;
  handle(action: string, input: Record<string, unknown>, req: RequestContext): unknown;
}

export interface ServerOptions {
  operations: OperationTable;
  formTargets?: FormTarget[];
  observer?: CallObserver;
  extraTargets?: ExtraTarget[];
  /** Task-role credentials the runtime handed out, accepted by signature checking. */
  issuedCredentials?: IssuedCredentials;
  /** Registers the /_sim admin routes. */
  admin(app: FastifyInstance): void;
  /** Checks AWS makes before validating the request (an unknown cluster); throws an AwsError. */
  precheck?(operation: string, input: Record<string, unknown>, req: RequestContext): void;
}

/**
 * The fastify app: one `POST /` that dispatches on X-Amz-Target, and the admin API. Every answer,
 * error or not, carries x-amzn-RequestId; every error is AWS-shaped, and a malformed request is a
 * 4xx that changes nothing.
 */
export function buildServer(ctx: SimContext, opts: ServerOptions): FastifyInstance {
  // Request ids have their own random stream: how often a client polls must not change the
  // ids and outcomes the domain draws.
  const ids = ctx.random.fork("request-ids");
  const app = Fastify({
    logger: false,
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: () => ids.uuid(),
    // Open keep-alive and event-stream connections must not hold up close().
    forceCloseConnections: true,
    ...requestDeadlines(ctx.config),
    schemaController: lazySchemaCompilers(),
  });

  // Bodies are parsed by the dispatcher so that invalid JSON becomes a SerializationException.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-amzn-RequestId", req.id);
  });

  if (opts.observer) observeCalls(app, opts.observer);
  const signatures = ctx.config.verifySignatures ? new SignatureVerifier(ctx.config.accessKeys, opts.issuedCredentials) : undefined;
  app.post("/", (req, reply) => dispatch(ctx, opts, req, reply, signatures));

  // One readable line per API call: the operation, the caller's scope and the outcome. Reads are
  // what pollers repeat many times a second, so they log at debug; changes log at info. Nothing
  // is built for a line the level drops.
  app.addHook("onResponse", async (req, reply) => {
    if (req.method !== "POST" || req.url !== "/") return;
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.slice(target.indexOf(".") + 1) || "(no target)";
    const level = READ_OPERATION.test(operation) ? "debug" : "info";
    if (ctx.logger.enabled?.(level) === false) return;
    const error = reply.getHeader("x-amzn-ErrorType");
    const caller = callerFrom(req.headers.authorization, { account: ctx.config.accountId, region: ctx.config.region });
    ctx.logger[level](`${operation} ${reply.statusCode}${error ? ` ${String(error)}` : ""}`, {
      account: caller.account,
      region: caller.region,
      requestId: req.id,
      ms: Math.round(reply.elapsedTime),
    });
  });
  if (ctx.config.adminToken) requireAdminToken(app, ctx.config.adminToken);
  opts.admin(app);

  app.setNotFoundHandler((req, reply) => {
    if (isAdminUrl(req.url)) return adminError(reply, 404, "NotFound", `No route for ${req.method} ${req.url}`);
    void reply.code(404).type("application/json").send({ __type: "UnknownOperationException", message: `No route for ${req.method} ${req.url}` });
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (isAdminUrl(req.url)) return sendAdminFailure(ctx, req, reply, err);
    if (err instanceof AwsError) return sendError(reply, err);
    const status = err.statusCode;
    if (status === 413) {
      return sendError(reply, new SerializationException(Messages.bodyTooLarge(ctx.config.bodyLimitBytes)), 413);
    }
    if (status && status >= 400 && status < 500) return sendError(reply, new SerializationException(err.message));
    ctx.logger.error(`internal error on ${req.method} ${req.url}`, { error: String(err.stack ?? err) });
    return sendError(reply, new ServerException(Messages.serverUnavailable));
  });

  return app;
}

/**
 * Fastify's own schema compilers (ajv, fast-json-stringify), required only when a route declares
 * a fastify schema. None does (zod validates requests), and loading them was a fifth of start-up.
 */
function lazySchemaCompilers(): NonNullable<FastifyServerOptions["schemaController"]> {
  // Resolved from fastify's own location: they are its dependencies, not ours.
  const require = createRequire(createRequire(import.meta.url).resolve("fastify"));
  type Factory = (...args: unknown[]) => unknown;
  let validator: Factory | undefined;
  let serializer: Factory | undefined;
  return {
    compilersFactory: {
      buildValidator: ((...args: unknown[]) => (validator ??= (require("@fastify/ajv-compiler") as () => Factory)())(...args)) as never,
      buildSerializer: ((...args: unknown[]) => (serializer ??= (require("@fastify/fast-json-stringify-compiler") as () => Factory)())(...args)) as never,
    },
  };
}

const ARRIVAL = Symbol("arrival");

function observeCalls(app: FastifyInstance, observer: CallObserver): void {
  const kindOf = (req: FastifyRequest): ObservedCall["kind"] | undefined => {
    if (req.method === "POST" && req.url === "/") return "api";
    // Clock advances are implied by the times of the calls; a scenario is recorded by the
    // simulator itself, with the document it loaded.
    const implied = req.url.startsWith("/_sim/clock/") || (req.method === "POST" && req.url === "/_sim/scenario");
    if (req.method !== "GET" && req.url.startsWith("/_sim/") && !implied) return "admin";
    return undefined;
  };
  app.addHook("onRequest", async (req) => {
    if (kindOf(req)) (req as unknown as Record<symbol, unknown>)[ARRIVAL] = observer.arrived();
  });
  app.addHook("onSend", async (req, reply, payload) => {
    const kind = kindOf(req);
    if (!kind) return payload;
    observer.answered((req as unknown as Record<symbol, unknown>)[ARRIVAL], {
      kind,
      method: req.method,
      url: req.url,
      target: String(req.headers["x-amz-target"] ?? ""),
      authorization: req.headers.authorization,
      body: typeof req.body === "string" ? req.body : req.body === undefined ? "" : JSON.stringify(req.body),
      status: reply.statusCode,
      payload: Buffer.isBuffer(payload) ? payload.toString("utf8") : typeof payload === "string" ? payload : "",
    });
    return payload;
  });
}

/** Deadlines for receiving a request (not for answering it: event streams stay open). */
function requestDeadlines(config: SimContext["config"]): { requestTimeout: number; http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } } {
  const requestTimeout = Math.max(config.requestTimeoutMs, config.headersTimeoutMs);
  const headersTimeout = config.headersTimeoutMs;
  // Node checks the deadlines on an interval (30 s by default), which would stretch a short one.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2)));
  return { requestTimeout, http: { headersTimeout, requestTimeout, connectionsCheckingInterval } };
}

async function dispatch(
  ctx: SimContext,
  opts: ServerOptions,
  req: FastifyRequest,
  reply: FastifyReply,
  signatures: SignatureVerifier | undefined,
): Promise<void> {
  // Before anything else, as AWS does: an unauthenticated caller learns nothing, not even validation.
  await signatures?.verify({ method: req.method, url: req.url, headers: req.headers, body: typeof req.body === "string" ? req.body : "" });
  const target = String(req.headers["x-amz-target"] ?? "");
  const caller = callerFrom(req.headers.authorization, { account: ctx.config.accountId, region: ctx.config.region });
  const scope = { account: caller.account, region: caller.region };
  if (!target && opts.formTargets && String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
    return dispatchForm(opts.formTargets, scope, req, reply);
  }
  const extra = opts.extraTargets?.find((t) => target.startsWith(t.prefix));
  if (!target.startsWith(ECS_TARGET_PREFIX) && !extra) {
    return sendError(reply, new UnknownOperationException(Messages.unknownOperation(target || "(none)")));
  }
  const name = target.slice((extra?.prefix ?? ECS_TARGET_PREFIX).length);
  const input = parseJsonBody(req.body, ctx.config.jsonMaxDepth);
  const request: RequestContext = { scope, requestId: req.id, operation: name };

  if (extra) return send(reply, extra.handle(name, input, request));

  // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
  const op = Object.hasOwn(opts.operations, name) ? opts.operations[name] : undefined;
  if (!op) {
    if (!KNOWN.has(name)) throw new UnknownOperationException(Messages.unknownOperation(target));
    opts.precheck?.(name, input, request);
    throw new ClientException(Messages.notImplemented(name));
  }
  ctx.quotas.admitApiCall(scope, name, req.id);
  opts.precheck?.(name, input, request);
  const parsed = op.schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, input);
  // Awaited: some answers are due later than the call (a registration answers when it stops being in flight).
  return send(reply, await op.handle(parsed.data, request));
}

async function dispatchForm(targets: FormTarget[], scope: RequestContext["scope"], req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const body = typeof req.body === "string" ? req.body : "";
  const version = new URLSearchParams(body).get("Version") ?? "";
  const target = targets.find((t) => t.version === version);
  if (!target) throw new UnknownOperationException(Messages.unknownOperation(`Version=${version || "(none)"}`));
  const { action, input } = parseQueryParams(body, target);
  void reply.header("content-type", "text/xml");
  try {
    const result = await target.handle(action, input, { scope, requestId: req.id, operation: action });
    void reply.code(200).send(queryResponse(action, target.xmlns, result, req.id));
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    void reply.code(err.status).send(queryError(err, target.xmlns, req.id, target.errorCode(err)));
  }
}

function send(reply: FastifyReply, result: unknown): void {
  // A Buffer keeps fastify from appending "; charset=utf-8" to the content type AWS sends bare.
  void reply.code(200).header("content-type", JSON_CONTENT_TYPE).send(Buffer.from(encodeBody(result ?? {})));
}

function sendError(reply: FastifyReply, err: AwsError, status = err.status): FastifyReply {
  return reply
    .code(status)
    .header("content-type", JSON_CONTENT_TYPE)
    .header("x-amzn-ErrorType", err.code)
    .send(Buffer.from(encodeBody(err.toBody())));
}

