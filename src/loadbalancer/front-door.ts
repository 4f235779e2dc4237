import net from "node:net";
import type { Logger } from "../core/logger.js";

/** A task the front door may send a connection to. `port` is absent when nothing really listens. */
export interface FrontDoorTarget {
  taskArn: string;
  taskDefinitionArn: string;
  host?: string;
  port?: number;
}

export interface FrontDoorInfo {
  serviceArn: string;
  serviceName: string;
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export interface FrontDoorView extends FrontDoorInfo {
  host: string;
  /** null until the port is bound (or when binding failed). */
  port: number | null;
  url: string | null;
  error?: string;
  targets: FrontDoorTarget[];
}

interface Door {
  info: FrontDoorInfo;
  server: net.Server;
  port: number | null;
  error?: string;
  targets: FrontDoorTarget[];
  next: number;
  ready: Promise<void>;
  sockets: Set<net.Socket>;
}

export interface LocalLoadBalancerOptions {
  host: string;
  /** 0 = an ephemeral port per target group; otherwise basePort, basePort + 1, ... */
  basePort: number;
  logger: Logger;
  /** What the runtime is, for the 503 explanation when targets have no real ports. */
  runtimeKind: string;
}

/**
 * The local stand-in for an Elastic Load Balancing target group: one TCP port on the loopback
 * per service target group, forwarding each connection to the next registered target (round
 * robin). Targets are the service's healthy tasks, kept current by the service scheduler.
 * When there is no target, or the target has no real port (the simulated runtime runs no
 * containers), the front door answers the request with an HTTP 503 whose body says why and, in
 * the simulated case, which task would have served it (also in the x-ecs-sim-* headers).
 */
export class LocalLoadBalancers {
  private readonly doors = new Map<string, Door>();
  private nextPort: number;

  constructor(private readonly opts: LocalLoadBalancerOptions) {
    this.nextPort = opts.basePort;
  }

  static key(serviceArn: string, targetGroupArn: string): string {
    return `${serviceArn}|${targetGroupArn}`;
  }

  has(key: string): boolean {
    return this.doors.has(key);
  }

  open(key: string, info: FrontDoorInfo): void {
    if (this.doors.has(key)) return;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      this.handle(door, socket);
    });
    const port = this.opts.basePort > 0 ? this.nextPort++ : 0;
    const door: Door = { info, server, port: null, targets: [], next: 0, sockets, ready: Promise.resolve() };
    door.ready = new Promise<void>((resolve) => {
      server.once("error", (err) => {
        door.error = `could not listen on ${this.opts.host}:${port}: ${err.message}`;
        this.opts.logger.warn(`load balancer for ${info.serviceName} ${door.error}`, { targetGroup: info.targetGroupArn });
        resolve();
      });
      server.listen(port, this.opts.host, () => {
        const address = server.address();
        door.port = typeof address === "object" && address ? address.port : port;
        this.opts.logger.info(`load balancer for service ${info.serviceName} listening on ${this.url(door.port)}`, {
          targetGroup: info.targetGroupArn,
        });
        resolve();
      });
    });
    server.unref();
    this.doors.set(key, door);
  }

  setTargets(key: string, targets: FrontDoorTarget[]): void {
    const door = this.doors.get(key);
    if (door) door.targets = targets;
  }

  /** Closes every front door of a service. */
  closeService(serviceArn: string): void {
    for (const [key, door] of this.doors) {
      if (door.info.serviceArn === serviceArn) {
        this.shut(door);
        this.doors.delete(key);
      }
    }
  }

  /** Resolves once every opened port is bound (or failed to bind). */
  async ready(): Promise<void> {
    await Promise.all([...this.doors.values()].map((d) => d.ready));
  }

  list(): FrontDoorView[] {
    return [...this.doors.values()].map((d) => ({
      ...d.info,
      host: this.opts.host,
      port: d.port,
      url: d.port === null ? null : this.url(d.port),
      ...(d.error ? { error: d.error } : {}),
      targets: d.targets.map((t) => ({ ...t })),
    }));
  }

  async closeAll(): Promise<void> {
    const doors = [...this.doors.values()];
    this.doors.clear();
    this.nextPort = this.opts.basePort;
    await Promise.all(doors.map((d) => this.shut(d)));
  }

  private url(port: number): string {
    const host = this.opts.host.includes(":") ? `[${this.opts.host}]` : this.opts.host;
    return `http://${host}:${port}`;
  }

  private shut(door: Door): Promise<void> {
    for (const s of door.sockets) s.destroy();
    return new Promise((resolve) => door.server.close(() => resolve()));
  }

  private handle(door: Door, socket: net.Socket): void {
    socket.on("error", () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());
    const targets = door.targets;
    if (targets.length === 0) {
      return this.reply503(socket, {
        message: `ecs-sim load balancer: no healthy targets in (target-group ${door.info.targetGroupArn}) of service ${door.info.serviceName}.`,
        targetGroupArn: door.info.targetGroupArn,
      });
    }
    const target = targets[door.next++ % targets.length]!;
    if (target.port === undefined) {
      return this.reply503(
        socket,
        {
          message:
            `ecs-sim load balancer: the ${this.opts.runtimeKind} runtime runs no containers, so nothing listens on ` +
            `${door.info.containerName}:${door.info.containerPort}. This request would have gone to task ${taskId(target.taskArn)}. ` +
            `Run ecs-sim with the Docker runtime to reach real containers.`,
          targetGroupArn: door.info.targetGroupArn,
          target,
        },
        target,
      );
    }
    const upstream = net.connect(target.port, target.host ?? "127.0.0.1");
    let forwarded = false;
    const pending: Buffer[] = [];
    const onData = (chunk: Buffer) => pending.push(chunk);
    socket.on("data", onData);
    upstream.once("connect", () => {
      forwarded = true;
      socket.off("data", onData);
      for (const chunk of pending) upstream.write(chunk);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    upstream.on("error", (err) => {
      if (forwarded) return socket.destroy();
      socket.off("data", onData);
      this.reply503(
        socket,
        {
          message: `ecs-sim load balancer: task ${taskId(target.taskArn)} refused the connection on ${target.host ?? "127.0.0.1"}:${target.port} (${err.message}).`,
          targetGroupArn: door.info.targetGroupArn,
          target,
        },
        target,
        pending.length > 0,
      );
    });
    socket.on("close", () => upstream.destroy());
  }

  /** Answers once the client has sent its request (so it is not reset mid-write), then closes. */
  private reply503(socket: net.Socket, body: Record<string, unknown>, target?: FrontDoorTarget, alreadyRead = false): void {
    const text = JSON.stringify(body);
    const headers = [
      "HTTP/1.1 503 Service Unavailable",
      "content-type: application/json",
      `content-length: ${Buffer.byteLength(text)}`,
      "connection: close",
      ...(target ? [`x-ecs-sim-task-arn: ${target.taskArn}`, `x-ecs-sim-task-definition-arn: ${target.taskDefinitionArn}`] : []),
    ];
    const send = () => {
      if (socket.destroyed) return;
      socket.end(`${headers.join("\r\n")}\r\n\r\n${text}`);
    };
    if (alreadyRead) return send();
    socket.once("data", send);
  }
}

function taskId(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
