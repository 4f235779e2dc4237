import type { Decoder, Encoder } from "cbor-x";
import type { FastifyInstance, FastifyReply } from "fastify";
import { AwsError, SerializationException, ServerException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import type { Logger } from "../core/logger.js";
import { callerFrom } from "./protocol.js";
import type { Scope } from "../domain/scope.js";
import type { SignatureVerifier } from "./signature.js";

/** A service that also speaks Smithy RPC v2 CBOR (current SDKs prefer it for CloudWatch). */
export interface CborService {
  /** The service shape's name, the `{service}` of `/service/{service}/operation/{operation}`. */
  name: string;
  /** The namespace of its shape ids, for error `__type`s (`com.amazonaws.cloudwatch`). */
  namespace: string;
  handle(operation: string, input: unknown, scope: Scope): unknown;
  /**
   * For services that keep their query-protocol error codes (`@awsQueryCompatible`, as CloudWatch
   * does): the code to send in `x-amzn-query-error`, which SDKs report as the error's code.
   */
  queryErrorCode?: (err: AwsError) => string;
}

let encoder: Encoder;
let decoder: Decoder;
let codecsLoaded: Promise<void> | undefined;

/** cbor-x loads on the first CBOR request: start-up does not pay for a protocol few clients use. */
function loadCodecs(): Promise<void> {
  return (codecsLoaded ??= import("cbor-x").then((cbor) => {
    encoder = new cbor.Encoder({ useRecords: false, tagUint8Array: false });
    decoder = new cbor.Decoder({ useRecords: false, mapsAsObjects: true });
  }));
}

/**
 * Smithy RPC v2 CBOR: `POST /service/{service}/operation/{operation}` with `smithy-protocol:
 * rpc-v2-cbor`, CBOR bodies both ways, timestamps as tag 1 epoch seconds, errors as a CBOR map
 * whose `__type` is the error's shape id. cbor-x does the encoding (a hand-written codec is
 * where such protocols go wrong).
 */
export function registerRpcV2Cbor(
  app: FastifyInstance,
  opts: { services: CborService[]; defaults: Scope; logger: Logger; signatures?: SignatureVerifier },
): void {
  app.addContentTypeParser("application/cbor", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  app.post("/service/:service/operation/:operation", async (req, reply) => {
    const { service: name, operation } = req.params as { service: string; operation: string };
    await loadCodecs();
    const service = opts.services.find((s) => s.name === name);
    if (!service) return reply.code(404).type("application/json").send({ __type: "UnknownOperationException", message: Messages.unknownOperation(`${name}.${operation}`) });
    void reply.header("smithy-protocol", "rpc-v2-cbor");
    const caller = callerFrom(req.headers.authorization, opts.defaults);
    try {
      await opts.signatures?.verify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.isBuffer(req.body) ? req.body : "" });
      const input = decodeBody(req.body);
      const result = await service.handle(operation, input, { account: caller.account, region: caller.region });
      return send(reply, 200, result ?? {});
    } catch (err) {
      if (err instanceof AwsError) {
        if (service.queryErrorCode) void reply.header("x-amzn-query-error", `${service.queryErrorCode(err)};${err.status >= 500 ? "Receiver" : "Sender"}`);
        return send(reply, err.status, { __type: `${service.namespace}#${err.code}`, message: err.message });
      }
      opts.logger.error(`internal error on ${name}.${operation}`, { error: String((err as Error).stack ?? err) });
      return send(reply, 500, { __type: `${service.namespace}#InternalServiceError`, message: new ServerException(Messages.serverUnavailable).message });
    }
  });
}

function decodeBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return {};
  let value: unknown;
  try {
    value = decoder.decode(body);
  } catch {
    throw new SerializationException("Request body is not valid CBOR.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SerializationException("Request body must be a CBOR map.");
  return value;
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header("content-type", "application/cbor").send(Buffer.from(encoder.encode(body)));
}
