/**
 * The task endpoint: the one HTTP server task containers talk to. It serves task metadata
 * (v3/v4), task-role credentials, and forwards API calls (`POST /`, the ECS and Logs JSON
 * protocols) to the simulator, so AWS_ENDPOINT_URL works even though the simulator listens on
 * 127.0.0.1. Nothing else passes: the admin API (/_sim/) only when a setting allows it, so code in
 * a task cannot reset or reconfigure the simulator that runs it.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "../../core/logger.js";

export interface MetadataReply {
  status: number;
  body: unknown;
}

/**
 * Answers a GET of a metadata or credentials path; undefined when the path is not one.
 * `caller` is the connection's source address, for the check that the caller is the task.
 */
export type MetadataRoute = (path: string, caller: string) => Promise<MetadataReply | undefined>;

export interface MetadataServerOptions {
  route: MetadataRoute;
  /** The simulator's endpoint; a function because the port is known only once it listens. */
  proxyTarget: string | (() => string);
  logger: Logger;
  /** Forward /_sim/ requests too (off: tasks get the ECS and Logs APIs only). */
  allowAdmin?: boolean;
}

const NOT_SERVED = {
  error: "NotFound",
  message: "The ecs-sim task endpoint serves task metadata, task credentials and API calls (POST /) only.",
};

export class MetadataServer {
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: MetadataServerOptions) {}

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
      if (req.method === "GET") {
        const reply = await this.opts.route(path, callerAddress(req.socket));
        if (reply) return sendJson(res, reply.status, reply.body);
      }
      if (this.forwards(req.method, path)) return this.proxy(req, res);
      sendJson(res, 404, NOT_SERVED);
    } catch (err) {
      this.opts.logger.warn("metadata request failed", { path, error: (err as Error).message });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  }

  /** API calls are `POST /`; anything else reaches the simulator only if the admin opt-in says so. */
  private forwards(method: string | undefined, path: string): boolean {
    if (method === "POST" && path === "/") return true;
    return this.opts.allowAdmin === true && path.startsWith("/_sim/");
  }

  private proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
    const base = typeof this.opts.proxyTarget === "function" ? this.opts.proxyTarget() : this.opts.proxyTarget;
    const target = new URL(req.url ?? "/", base);
    // The host header stays as the client sent it: it is part of what SigV4 signs.
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: { ...req.headers } },
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

/** The peer's address, IPv4-mapped IPv6 written as plain IPv4. */
export function callerAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
