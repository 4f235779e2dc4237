/**
 * Optional SigV4 verification (`verifySignatures` with `accessKeys`). The signature is recomputed
 * with @smithy/signature-v4, the signer the AWS SDK itself uses, over exactly the headers the
 * client says it signed, in the region and service of its credential scope.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from "node:crypto";
import type { AccessKey } from "../config.js";
import { InvalidSignatureException, MissingAuthenticationTokenException, UnrecognizedClientException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";

export interface SignedRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The hash the signer is built with: SHA-256, or HMAC-SHA-256 when given a key (node:crypto). */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** Temporary credentials issued elsewhere (task roles): the secret, and the session token to expect. */
export type IssuedCredentials = (accessKeyId: string) => { secretAccessKey: string; sessionToken: string } | undefined;

let signerModule: Promise<typeof import("@smithy/signature-v4")> | undefined;

export class SignatureVerifier {
  private readonly secrets: Map<string, string>;

  constructor(
    keys: readonly AccessKey[],
    private readonly issued: IssuedCredentials = () => undefined,
  ) {
    this.secrets = new Map(keys.map((k) => [k.accessKeyId, k.secretAccessKey]));
  }

  /** Resolves when the request is signed by a known key; throws AWS's error otherwise. */
  async verify(req: SignedRequest): Promise<void> {
    const header = typeof req.headers["authorization"] === "string" ? req.headers["authorization"] : "";
    const m = AUTHORIZATION.exec(header);
    if (!m) throw new MissingAuthenticationTokenException(Messages.missingAuthenticationToken);
    const [, accessKeyId, , region, service, signedHeaderList, signature] = m as unknown as string[];
    const temporary = this.issued(accessKeyId!);
    const secretAccessKey = this.secrets.get(accessKeyId!) ?? temporary?.secretAccessKey;
    if (secretAccessKey === undefined) throw new UnrecognizedClientException(Messages.unrecognizedClient);
    if (temporary && !this.secrets.has(accessKeyId!) && req.headers["x-amz-security-token"] !== temporary.sessionToken) {
      throw new UnrecognizedClientException(Messages.unrecognizedClient);
    }

    const signingDate = parseAmzDate(req.headers["x-amz-date"]);
    const signedNames = signedHeaderList!.split(";");
    const headers: Record<string, string> = {};
    for (const name of signedNames) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    if (!signingDate || signedNames.length !== Object.keys(headers).length) throw new InvalidSignatureException(Messages.invalidSignature);
    // The signer takes a declared payload hash on trust; the body must really hash to it.
    const declared = headers["x-amz-content-sha256"];
    if (declared !== undefined && declared !== sha256Hex(req.body)) {
      throw new InvalidSignatureException(Messages.invalidSignature);
    }

    const [path, query = ""] = req.url.split("?", 2) as [string, string?];
    // applyChecksum off: add no x-amz-content-sha256 the client did not sign.
    // Loaded on the first signed request: most simulators never check signatures, and the signer
    // with its dependencies is a noticeable share of start-up.
    const { SignatureV4 } = await (signerModule ??= import("@smithy/signature-v4"));
    const signer = new SignatureV4({ credentials: { accessKeyId: accessKeyId!, secretAccessKey }, region: region!, service: service!, sha256: Sha256, applyChecksum: false });
    const signed = await signer.sign(
      {
        method: req.method,
        protocol: "http:",
        hostname: headers["host"] ?? "",
        path,
        query: Object.fromEntries(new URLSearchParams(query)),
        headers,
        body: req.body,
      },
      { signingDate, signableHeaders: new Set(signedNames) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers["authorization"]))?.[1] ?? "";
    if (!timingSafeEqual(Buffer.from(expected.padEnd(64, "0")), Buffer.from(signature!))) {
      throw new InvalidSignatureException(Messages.invalidSignature);
    }
  }
}

/** `20260101T120000Z` as a Date; undefined when absent or malformed. */
function parseAmzDate(value: string | string[] | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(typeof value === "string" ? value : "");
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function sha256Hex(body: string | Uint8Array): string {
  const hash = createHash("sha256");
  return (typeof body === "string" ? hash.update(body, "utf8") : hash.update(body)).digest("hex");
}
