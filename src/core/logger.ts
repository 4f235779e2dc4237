import sonicBoom from "sonic-boom";

// A CommonJS module: Node's ESM loader exposes only module.exports, which carries the class.
const { SonicBoom } = sonicBoom;

/**
 * Readable one-line logs by default, JSON lines on request. Kept in-house because the format is
 * part of the user experience (a tail of the simulator's output should read like a story of the
 * run) and it needs nothing beyond a level filter. Lines go to stderr through sonic-boom (pino's
 * destination): writes are asynchronous and coalesce under load, where a synchronous write per
 * line cost a sizeable share of request CPU.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFormat = "text" | "json";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  /** Whether a line at this level would be written: lets hot paths skip building it (absent: assume yes). */
  enabled?(level: Exclude<LogLevel, "silent">): boolean;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  now: () => number;
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions): Logger {
  const threshold = ORDER[opts.level];
  const write = opts.write ?? writeToStderr;
  const emit = (level: Exclude<LogLevel, "silent">, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold) return;
    const time = new Date(opts.now()).toISOString();
    if (opts.format === "json") {
      write(JSON.stringify({ time, level, msg, ...fields }));
      return;
    }
    const extra = fields
      ? Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(" ")
      : "";
    write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? "  " + extra : ""}`);
  };
  return {
    enabled: (level) => ORDER[level] >= threshold,
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = { enabled: () => false, debug() {}, info() {}, warn() {}, error() {} };

/** One stderr destination per process, made on first use and flushed when the process exits. */
let stderrDestination: InstanceType<typeof SonicBoom> | undefined;

function writeToStderr(line: string): void {
  if (!stderrDestination) {
    const destination = new SonicBoom({ fd: 2, sync: false });
    process.once("exit", () => destination.flushSync());
    stderrDestination = destination;
  }
  stderrDestination.write(line + "\n");
}

/**
 * Writes out what the stderr destination still holds. The CLI calls it before its ready line, so a
 * reader that acts on that line has every start-up warning already.
 */
export function flushLogs(): void {
  try {
    stderrDestination?.flushSync();
  } catch {
    // A write still in flight finishes on its own; nothing is lost.
  }
}
