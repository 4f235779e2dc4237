import { readFileSync } from "node:fs";
import { Simulator } from "../simulator.js";
import { toScenario } from "../scenario/parse.js";
import { jsonDifferences, type Difference } from "./diff.js";
import { TAPE_FORMAT, type TapeCall, type TapeEntry, type TapeHeader } from "./tape.js";

export interface ReplayOptions {
  /** Send the calls to another endpoint (another ecs-sim) instead of a fresh simulator. */
  against?: string;
}

export interface Mismatch {
  seq: number;
  t: number;
  what: string;
  recordedStatus: number;
  replayedStatus: number;
  differences: Difference[];
}

export interface ReplayResult {
  calls: number;
  mismatch?: Mismatch;
}

export class TapeError extends Error {}

export function readTape(path: string): { header: TapeHeader; entries: TapeEntry[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new TapeError(`cannot read tape ${path}: ${(err as Error).message}`);
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as TapeHeader | TapeEntry;
    } catch {
      throw new TapeError(`${path}:${i + 1}: not a JSON line`);
    }
  });
  const [header, ...entries] = parsed;
  if (!header || header.type !== "header" || header.format !== TAPE_FORMAT) {
    throw new TapeError(`${path}: not an ecs-sim tape (format ${TAPE_FORMAT}): the first line must be its header`);
  }
  return { header, entries: (entries as TapeEntry[]).sort((a, b) => a.seq - b.seq) };
}

/**
 * Replays a tape: a fresh simulator with the recorded seed and settings on the virtual clock
 * (or the endpoint given), the clock moved to each call's recorded time, calls that overlapped
 * sent together, and every answer compared with the recorded one. Stops at the first that
 * differs.
 */
export async function replayTape(path: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const { header, entries } = readTape(path);
  const target = opts.against ? remoteTarget(opts.against) : await localTarget(header);
  try {
    let calls = 0;
    for (const batch of batches(entries)) {
      await target.advanceTo(batch[0]!.t);
      const answers = await Promise.all(batch.map((e) => target.send(e)));
      for (const [i, entry] of batch.entries()) {
        if (entry.type !== "call") continue;
        calls++;
        const mismatch = compare(entry, answers[i]!);
        if (mismatch) return { calls, mismatch };
      }
    }
    return { calls };
  } finally {
    await target.close();
  }
}

/** Consecutive entries that arrived while earlier ones were still in flight go out together. */
function batches(entries: TapeEntry[]): TapeEntry[][] {
  const out: TapeEntry[][] = [];
  for (const e of entries) {
    const overlaps = e.type !== "scenario" && e.inFlight > 0 && out.length > 0;
    if (overlaps) out[out.length - 1]!.push(e);
    else out.push([e]);
  }
  return out;
}

function compare(call: TapeCall, answer: Answer): Mismatch | undefined {
  const differences = jsonDifferences(call.response, answer.body);
  if (answer.status === call.status && differences.length === 0) return undefined;
  return {
    seq: call.seq,
    t: call.t,
    what: call.target.slice(call.target.indexOf(".") + 1) || call.target,
    recordedStatus: call.status,
    replayedStatus: answer.status,
    differences,
  };
}

interface Answer {
  status: number;
  body: unknown;
}

interface Target {
  advanceTo(t: number): Promise<void>;
  send(entry: TapeEntry): Promise<Answer>;
  close(): Promise<void>;
}

async function localTarget(header: TapeHeader): Promise<Target> {
  const sim = await Simulator.create({
    ...header.config,
    runtime: header.runtime as "docker" | "simulated",
    seed: header.seed,
    clock: "virtual",
    clockStart: header.startedAt,
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
  });
  const endpoint = await sim.listen();
  const http = httpTarget(endpoint);
  return {
    advanceTo: async (t) => {
      const ms = t - sim.ctx.clock.now();
      if (ms > 0) await sim.advanceClock(ms);
    },
    send: async (entry) => {
      if (entry.type !== "scenario") return http.send(entry);
      // The header holds the settings that were in force, the scenario's own included.
      await sim.loadScenario(toScenario(entry.scenario, "tape"), { settingsApplied: true });
      return { status: 200, body: undefined };
    },
    close: () => sim.close(),
  };
}

/** Another ecs-sim: its clock is moved through its admin API when it runs a virtual clock. */
function remoteTarget(endpoint: string): Target {
  const http = httpTarget(endpoint);
  let now: number | undefined;
  let virtual = true;
  return {
    advanceTo: async (t) => {
      if (!virtual) return;
      if (now === undefined) {
        const health = await fetch(new URL("/_sim/health", endpoint)).then((r) => (r.ok ? (r.json() as Promise<{ clock?: string; now?: string }>) : undefined)).catch(() => undefined);
        virtual = health?.clock === "virtual";
        now = health?.now ? Date.parse(health.now) : t;
        if (!virtual) return;
      }
      if (t <= now) return;
      await fetch(new URL("/_sim/clock/advance", endpoint), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ms: t - now }) });
      now = t;
    },
    send: (entry) =>
      entry.type === "scenario"
        ? fetch(new URL("/_sim/scenario", endpoint), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(entry.scenario) }).then(
            async (r) => ({ status: r.status, body: await r.text() }),
          )
        : http.send(entry),
    close: async () => {},
  };
}

function httpTarget(endpoint: string): { send(entry: Exclude<TapeEntry, { type: "scenario" }>): Promise<Answer> } {
  return {
    send: async (entry) => {
      if (entry.type === "admin") {
        const res = await fetch(new URL(entry.url, endpoint), {
          method: entry.method,
          ...(entry.request ? { headers: { "content-type": "application/json" }, body: entry.request } : {}),
        });
        return { status: res.status, body: await res.text() };
      }
      const key = entry.accessKeyId ?? entry.account;
      const res = await fetch(new URL("/", endpoint), {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": entry.target,
          authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/${entry.region}/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
        },
        body: entry.request,
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: compared as recorded
      }
      return { status: res.status, body };
    },
  };
}

/** The report a person reads: the first answer that differs, path by path. */
export function formatReplay(result: ReplayResult): string {
  if (!result.mismatch) return `replayed ${result.calls} calls: every answer matches the tape`;
  const m = result.mismatch;
  const lines = [
    `call ${m.seq} (${m.what}, at ${new Date(m.t).toISOString()}) answered differently after ${result.calls - 1} matching calls:`,
    ...(m.recordedStatus !== m.replayedStatus ? [`  status: recorded ${m.recordedStatus}, replayed ${m.replayedStatus}`] : []),
    ...m.differences.map((d) => `  ${d.path}:\n    - recorded: ${JSON.stringify(d.recorded)}\n    + replayed: ${JSON.stringify(d.replayed)}`),
  ];
  return lines.join("\n");
}
