/**
 * `--state-dir`: the simulator's state on disk as a snapshot plus a journal of changed entries.
 *
 * Every entry (a store record, the clock, the random streams' position, quota overrides...) has a
 * key. flush() compares each entry's JSON with what was last written and appends one journal line
 * with the changes, then fsyncs; the API answers a request only after that, so a kill -9 loses at
 * most the request being answered. Every `compactEvery` lines the whole state is written as a new
 * snapshot (temp file, fsync, rename) and the journal starts over. On load, a torn last line (the
 * write a kill interrupted) is dropped.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, ftruncateSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { decode, encode } from "./codec.js";

const SNAPSHOT = "snapshot.json";
const JOURNAL = "journal.ndjson";
const LOCK = "lock";
const FORMAT = 1;

export class StateDirError extends Error {}

export interface PersistenceOptions {
  /** Journal lines between snapshots (default 1000). */
  compactEvery?: number;
  /**
   * A cheap token that changes whenever the entry does (a record's version counter), so unchanged
   * entries are not serialized again on every flush; undefined means compare the JSON.
   */
  stampOf?: (key: string, value: unknown) => string | undefined;
  /** Entries that change on every call and are written only along with some other change. */
  volatile?: ReadonlySet<string>;
}

export class StatePersistence {
  /** The JSON last written per key: the baseline flush() diffs against. */
  private readonly written = new Map<string, string>();
  private journalFd?: number;
  private journalLines = 0;
  private closed = false;

  /** Change stamps of entries as last written (see PersistenceOptions.stampOf). */
  private readonly stamps = new Map<string, string>();

  private constructor(
    readonly dir: string,
    private readonly collect: () => Map<string, unknown>,
    private readonly options: PersistenceOptions,
  ) {}

  /** Opens (creating it) and locks the directory: two simulators on one directory would corrupt it. */
  static open(dir: string, collect: () => Map<string, unknown>, options: PersistenceOptions = {}): StatePersistence {
    mkdirSync(dir, { recursive: true });
    lock(dir);
    const p = new StatePersistence(dir, collect, options);
    p.readFiles();
    p.journalFd = openSync(join(dir, JOURNAL), "a");
    return p;
  }

  /** What the directory held when opened (decoded), or undefined for a fresh directory. */
  loaded(): Map<string, unknown> | undefined {
    if (this.written.size === 0) return undefined;
    const out = new Map<string, unknown>();
    for (const [k, v] of this.written) out.set(k, decode(JSON.parse(v)));
    return out;
  }

  /** Writes what changed since the last flush as one fsync'd journal line. Returns the number of changed keys. */
  flush(): number {
    if (this.closed || this.journalFd === undefined) return 0;
    const current = this.collect();
    const changed: string[] = [];
    const del: string[] = [];
    const next = new Map<string, string>();
    const stamps = new Map<string, string>();
    for (const [key, value] of current) {
      const stamp = this.options.stampOf?.(key, value);
      if (stamp !== undefined) stamps.set(key, stamp);
      const previous = this.written.get(key);
      if (stamp !== undefined && previous !== undefined && this.stamps.get(key) === stamp) {
        next.set(key, previous);
        continue;
      }
      const json = JSON.stringify(encode(value));
      next.set(key, json);
      if (previous !== json) changed.push(key);
    }
    for (const key of this.written.keys()) if (!next.has(key)) del.push(key);
    const volatile = this.options.volatile ?? new Set<string>();
    if (del.length === 0 && changed.every((k) => volatile.has(k))) return 0;
    // Values are spliced in as already-encoded JSON: each entry is stringified once per flush.
    const body = changed.map((k) => `${JSON.stringify(k)}:${next.get(k)}`).join(",");
    const line = `{"put":{${body}},"del":${JSON.stringify(del)}}\n`;
    writeSync(this.journalFd, line);
    fsyncSync(this.journalFd);
    for (const k of changed) this.written.set(k, next.get(k)!);
    for (const k of del) this.written.delete(k);
    this.stamps.clear();
    for (const [k, v] of stamps) this.stamps.set(k, v);
    if (++this.journalLines >= (this.options.compactEvery ?? 1000)) this.compact();
    return changed.length + del.length;
  }

  /** Writes the whole state as the snapshot and empties the journal. */
  compact(): void {
    if (this.closed || this.journalFd === undefined) return;
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const body = [...this.written].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",\n");
    const fd = openSync(tmp, "w");
    writeSync(fd, `{"format":${FORMAT},"entries":{\n${body}\n}}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.dir, SNAPSHOT));
    syncDir(this.dir);
    // A crash before this truncation only replays lines the snapshot already contains.
    ftruncateSync(this.journalFd, 0);
    fsyncSync(this.journalFd);
    this.journalLines = 0;
  }

  /** Final flush and compaction; releases the lock. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.compact();
    this.closed = true;
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
    unlock(this.dir);
  }

  private readFiles(): void {
    const snapshotPath = join(this.dir, SNAPSHOT);
    if (existsSync(snapshotPath)) {
      let parsed: { format?: number; entries?: Record<string, unknown> };
      try {
        parsed = JSON.parse(readFileSync(snapshotPath, "utf8"));
      } catch (err) {
        throw new StateDirError(`state dir ${this.dir}: ${SNAPSHOT} is not readable JSON (${(err as Error).message})`);
      }
      if (parsed.format !== FORMAT) throw new StateDirError(`state dir ${this.dir}: unknown format ${String(parsed.format)}`);
      for (const [k, v] of Object.entries(parsed.entries ?? {})) this.written.set(k, JSON.stringify(v));
    }
    const journalPath = join(this.dir, JOURNAL);
    if (!existsSync(journalPath)) return;
    const text = readFileSync(journalPath, "utf8");
    let goodBytes = 0;
    for (const line of text.split("\n")) {
      if (line === "") break;
      let entry: { put?: Record<string, unknown>; del?: string[] };
      try {
        entry = JSON.parse(line);
      } catch {
        break; // the write a kill interrupted: everything before it is whole
      }
      for (const [k, v] of Object.entries(entry.put ?? {})) this.written.set(k, JSON.stringify(v));
      for (const k of entry.del ?? []) this.written.delete(k);
      goodBytes += Buffer.byteLength(line) + 1;
      this.journalLines++;
    }
    if (goodBytes < Buffer.byteLength(text)) {
      const fd = openSync(journalPath, "r+");
      ftruncateSync(fd, goodBytes);
      fsyncSync(fd);
      closeSync(fd);
    }
  }
}

function lock(dir: string): void {
  const path = join(dir, LOCK);
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new StateDirError(`state dir ${dir} is in use by process ${pid}`);
    }
  }
  writeFileSync(path, `${process.pid}\n`);
}

function unlock(dir: string): void {
  try {
    unlinkSync(join(dir, LOCK));
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}
