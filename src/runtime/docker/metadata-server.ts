/**
 * The small HTTP server containers talk to: task metadata (v3/v4), task credentials, and,
 * for every other path, a transparent proxy to the simulator's API. The proxy is what makes
 * AWS_ENDPOINT_URL work even when the simulator itself listens on 127.0.0.1 only.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../core/logger.js";

export interface MetadataReply {
  status: number;
  body: unknown;
}

/** Returns undefined when the path is not a metadata path (it is proxied then). */
export type MetadataRoute = (path: string) => Promise<MetadataReply | undefined>;

export class MetadataServer {
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();

  constructor(
    private readonly route: MetadataRoute,
    /** The simulator's endpoint; a function because the port is known only once it listens. */
    private readonly proxyTarget: string | (() => string),
    private readonly logger: Logger,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    server.unref();
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    try {
      const reply = req.method === "GET" ? await this.route(path) : undefined;
      if (reply) {
        const body = JSON.stringify(reply.body);
        res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      this.proxy(req, res);
    } catch (err) {
      this.logger.warn("metadata request failed", { path, error: (err as Error).message });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  }

  private proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
    const base = typeof this.proxyTarget === "function" ? this.proxyTarget() : this.proxyTarget;
    const target = new URL(req.url ?? "/", base);
    const headers = { ...req.headers };
    // SigV4 signs the host header; the simulator does not verify signatures, but keep the
    // original so a future verifier sees what the client signed.
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ __type: "ServerException", message: `ecs-sim proxy: ${err.message}` }));
    });
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
