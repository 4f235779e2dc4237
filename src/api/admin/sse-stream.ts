import type { ServerResponse } from "node:http";
import type { EcsEventEnvelope } from "../../events/envelope.js";

export interface SseLimits {
  /** Output queued for one client (ours plus the socket's) beyond which it is disconnected. */
  maxBufferBytes: number;
}

/**
 * One Server-Sent Events client. Publishing only appends to a queue; the socket is written on a
 * later turn of the event loop, so a burst of events with many readers costs the publisher (an
 * API call moving a task) nothing. The socket's backpressure is honoured: while it is full,
 * events wait in the queue, and a client whose queue outgrows `maxBufferBytes` (one that stopped
 * reading) is disconnected and its memory let go, rather than buffered for without end.
 */
export class SseStream {
  private queue: string[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private waitingForDrain = false;
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly limits: SseLimits,
    private readonly onEnd: (reason: "closed" | "too-slow") => void,
  ) {
    res.on("close", () => this.end("closed"));
    res.on("error", () => this.end("closed"));
  }

  get isEnded(): boolean {
    return this.ended;
  }

  send(event: EcsEventEnvelope): void {
    this.enqueue(formatSseCached(event));
  }

  comment(text: string): void {
    this.enqueue(`: ${text}\n\n`);
  }

  /** Ends the stream politely (server shutdown): what is queued is dropped, the response ended. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    if (!this.res.writableEnded) this.res.end();
    this.onEnd("closed");
  }

  private enqueue(text: string): void {
    if (this.ended) return;
    this.queue.push(text);
    this.queuedBytes += Buffer.byteLength(text);
    if (this.queuedBytes + this.res.writableLength > this.limits.maxBufferBytes) {
      this.end("too-slow");
      return;
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.waitingForDrain) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.ended || this.queue.length === 0) return;
    const chunk = this.queue.join("");
    this.queue = [];
    this.queuedBytes = 0;
    if (!this.res.write(chunk)) {
      this.waitingForDrain = true;
      this.res.once("drain", () => {
        this.waitingForDrain = false;
        if (this.queue.length > 0) this.scheduleFlush();
      });
    }
  }

  private end(reason: "closed" | "too-slow"): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    // destroy, not end: end() would keep the unread output (and the socket) until the client reads.
    if (reason === "too-slow") this.res.destroy();
    this.onEnd(reason);
  }
}

/** Every reader gets the same frozen event object, so its SSE text is built once, not once per reader. */
const formatted = new WeakMap<EcsEventEnvelope, string>();

function formatSseCached(event: EcsEventEnvelope): string {
  let text = formatted.get(event);
  if (text === undefined) {
    text = formatSse(event);
    formatted.set(event, text);
  }
  return text;
}

/** One SSE message; the JSON is a single line, so one data field suffices. */
export function formatSse(event: EcsEventEnvelope): string {
  return `event: ${event["detail-type"]}\nid: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
}
