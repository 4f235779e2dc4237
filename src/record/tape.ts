import { closeSync, openSync, writeSync } from "node:fs";
import type { Clock } from "../core/clock.js";
import { callerFrom } from "../api/protocol.js";
import type { CallObserver, ObservedCall } from "../api/server.js";

/**
 * A tape: one JSON document per line. The header says how to start an identical simulator;
 * every API call follows in arrival order with its answer, and so do the admin changes and
 * scenarios that shaped the run. Times are the simulator's clock (epoch ms).
 */
export const TAPE_FORMAT = 1;

export interface TapeHeader {
  type: "header";
  format: typeof TAPE_FORMAT;
  version: string;
  seed: number;
  runtime: string;
  startedAt: number;
  /** The configuration in force (listen address and the tape path left out). */
  config: Record<string, unknown>;
}

export interface TapeCall {
  type: "call";
  seq: number;
  t: number;
  /** Calls already in flight when this one arrived: a replay sends it without waiting for them. */
  inFlight: number;
  target: string;
  account: string;
  region: string;
  accessKeyId?: string;
  request: string;
  status: number;
  response: unknown;
}

export interface TapeAdmin {
  type: "admin";
  seq: number;
  t: number;
  inFlight: number;
  method: string;
  url: string;
  request: string;
  status: number;
}

export interface TapeScenario {
  type: "scenario";
  seq: number;
  t: number;
  scenario: unknown;
}

export type TapeEntry = TapeCall | TapeAdmin | TapeScenario;

interface Arrival {
  seq: number;
  t: number;
  inFlight: number;
}

/** Writes the tape as the simulator runs: synchronously, so a killed run keeps what it answered. */
export class TapeRecorder implements CallObserver {
  private fd: number | undefined;
  private seq = 0;
  private inFlight = 0;

  constructor(
    path: string,
    header: Omit<TapeHeader, "type" | "format">,
    private readonly clock: Clock,
    private readonly defaults: { account: string; region: string },
  ) {
    this.fd = openSync(path, "w");
    this.write({ type: "header", format: TAPE_FORMAT, ...header });
  }

  arrived(): Arrival {
    const arrival = { seq: ++this.seq, t: this.clock.now(), inFlight: this.inFlight };
    this.inFlight++;
    return arrival;
  }

  answered(arrival: unknown, call: ObservedCall): void {
    const a = arrival as Arrival;
    this.inFlight--;
    if (call.kind === "admin") {
      this.write({ type: "admin", seq: a.seq, t: a.t, inFlight: a.inFlight, method: call.method, url: call.url, request: call.body, status: call.status });
      return;
    }
    const caller = callerFrom(call.authorization, this.defaults);
    this.write({
      type: "call",
      seq: a.seq,
      t: a.t,
      inFlight: a.inFlight,
      target: call.target,
      account: caller.account,
      region: caller.region,
      ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
      request: call.body,
      status: call.status,
      response: parseJson(call.payload),
    });
  }

  scenario(scenario: unknown): void {
    this.write({ type: "scenario", seq: ++this.seq, t: this.clock.now(), scenario });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(line: TapeHeader | TapeEntry): void {
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
