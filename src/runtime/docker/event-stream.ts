/**
 * One subscription to Docker's event stream, filtered by this instance's label: container state
 * comes from here rather than from polling each container. Reconnects with `since` if the
 * engine drops the stream, so no die/health event is lost across a reconnect.
 */
import type Docker from "dockerode";
import type { Logger } from "../../core/logger.js";

export interface DockerContainerEvent {
  id: string;
  action: string;
  attributes: Record<string, string>;
  /** Engine time in nanoseconds, used only for `since` on reconnect. */
  timeNano: number;
}

export class DockerEventStream {
  private stream?: NodeJS.ReadableStream & { destroy?: () => void };
  private closed = false;
  private lastTimeNano = 0;
  private opened?: Promise<void>;

  constructor(
    private readonly docker: Docker,
    private readonly label: string,
    private readonly onEvent: (e: DockerContainerEvent) => void,
    private readonly logger: Logger,
  ) {}

  open(): Promise<void> {
    this.opened ??= this.connect();
    return this.opened;
  }

  private async connect(): Promise<void> {
    const opts: { filters: string; since?: number } = {
      filters: JSON.stringify({ label: [this.label], type: ["container"] }),
    };
    // Whole seconds: events of that second may repeat, and handlers ignore repeats.
    if (this.lastTimeNano) opts.since = Math.floor(this.lastTimeNano / 1e9);
    const stream = (await this.docker.getEvents(opts)) as NodeJS.ReadableStream & { destroy?: () => void };
    if (this.closed) {
      stream.destroy?.();
      return;
    }
    this.stream = stream;
    let buffer = "";
    stream.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) this.dispatch(line);
      }
    });
    const reconnect = (): void => {
      if (this.closed) return;
      this.logger.warn("docker event stream ended; reconnecting");
      const retry = (): void => {
        if (this.closed) return;
        this.connect().catch((err: Error) => {
          this.logger.warn("docker event stream reconnect failed", { error: err.message });
          setTimeout(retry, 1000).unref();
        });
      };
      setTimeout(retry, 200).unref();
    };
    stream.on("end", reconnect);
    stream.on("error", (err: Error) => {
      if (!this.closed) this.logger.warn("docker event stream error", { error: err.message });
    });
  }

  private dispatch(line: string): void {
    let raw: { Type?: string; Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; timeNano?: number };
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    if (raw.timeNano) this.lastTimeNano = Math.max(this.lastTimeNano, raw.timeNano);
    const id = raw.Actor?.ID ?? raw.id;
    const action = raw.Action ?? raw.status;
    if (!id || !action) return;
    this.onEvent({ id, action, attributes: raw.Actor?.Attributes ?? {}, timeNano: raw.timeNano ?? 0 });
  }

  close(): void {
    this.closed = true;
    this.stream?.destroy?.();
  }
}
