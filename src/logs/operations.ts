/**
 * The CloudWatch Logs JSON API subset (target prefix Logs_20140328) over a LogStore. Pure:
 * no I/O and no clock reads beyond the store's own, so the lead's router can call it for
 * `X-Amz-Target: Logs_20140328.<Operation>` and serialize the result (or AwsError) as is.
 */
import type { LogEvent, LogGroup, LogStore, LogStream } from "./store.js";
import {
  LogsInvalidParameterException,
  LogsMessages,
  LogsResourceAlreadyExistsException,
  LogsResourceNotFoundException,
  LogsUnknownOperationException,
} from "./errors.js";
import { matchesFilterPattern } from "./filter-pattern.js";

export const LOGS_TARGET_PREFIX = "Logs_20140328";

export interface LogsContext {
  account: string;
  region: string;
}

type Input = Record<string, unknown>;

export const LOGS_OPERATIONS = [
  "CreateLogGroup",
  "DeleteLogGroup",
  "DescribeLogGroups",
  "CreateLogStream",
  "DeleteLogStream",
  "DescribeLogStreams",
  "PutLogEvents",
  "GetLogEvents",
  "FilterLogEvents",
] as const;

export function handleLogsOperation(
  operation: string,
  input: unknown,
  store: LogStore,
  ctx: LogsContext = { account: "000000000000", region: "us-east-1" },
): unknown {
  const op = operation.startsWith(LOGS_TARGET_PREFIX + ".") ? operation.slice(LOGS_TARGET_PREFIX.length + 1) : operation;
  const req: Input = input && typeof input === "object" ? (input as Input) : {};
  switch (op) {
    case "CreateLogGroup": {
      const name = str(req, "logGroupName");
      if (!store.createGroup(name)) throw new LogsResourceAlreadyExistsException(LogsMessages.groupExists);
      return {};
    }
    case "DeleteLogGroup": {
      const name = str(req, "logGroupName");
      if (!store.deleteGroup(name)) throw new LogsResourceNotFoundException(LogsMessages.groupNotFound);
      return {};
    }
    case "DescribeLogGroups":
      return describeLogGroups(req, store, ctx);
    case "CreateLogStream": {
      const group = requireGroup(store, str(req, "logGroupName"));
      const name = str(req, "logStreamName");
      if (group.streams.has(name)) throw new LogsResourceAlreadyExistsException(LogsMessages.streamExists);
      store.createStream(group.logGroupName, name);
      return {};
    }
    case "DeleteLogStream": {
      const group = requireGroup(store, str(req, "logGroupName"));
      if (!group.streams.delete(str(req, "logStreamName"))) {
        throw new LogsResourceNotFoundException(LogsMessages.streamNotFound);
      }
      return {};
    }
    case "DescribeLogStreams":
      return describeLogStreams(req, store, ctx);
    case "PutLogEvents":
      return putLogEvents(req, store);
    case "GetLogEvents":
      return getLogEvents(req, store);
    case "FilterLogEvents":
      return filterLogEvents(req, store);
    default:
      throw new LogsUnknownOperationException(LogsMessages.unsupported(op));
  }
}

function describeLogGroups(req: Input, store: LogStore, ctx: LogsContext): unknown {
  const prefix = optStr(req, "logGroupNamePrefix") ?? "";
  const all = store.listGroups().filter((g) => g.logGroupName.startsWith(prefix));
  const { page, nextToken } = paginate(all, req, 50);
  return {
    logGroups: page.map((g) => ({
      logGroupName: g.logGroupName,
      creationTime: g.creationTime,
      metricFilterCount: 0,
      arn: `${groupArn(ctx, g.logGroupName)}:*`,
      logGroupArn: groupArn(ctx, g.logGroupName),
      storedBytes: [...g.streams.values()].reduce((n, s) => n + s.storedBytes, 0),
      logGroupClass: "STANDARD",
      ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
}

function describeLogStreams(req: Input, store: LogStore, ctx: LogsContext): unknown {
  const group = requireGroup(store, groupNameOf(req, store));
  const prefix = optStr(req, "logStreamNamePrefix") ?? "";
  const orderBy = optStr(req, "orderBy") ?? "LogStreamName";
  if (orderBy === "LastEventTime" && prefix) {
    throw new LogsInvalidParameterException("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  let streams = [...group.streams.values()].filter((s) => s.logStreamName.startsWith(prefix));
  streams.sort((a, b) =>
    orderBy === "LastEventTime"
      ? (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || cmp(a.logStreamName, b.logStreamName)
      : cmp(a.logStreamName, b.logStreamName),
  );
  if (req["descending"] === true) streams = streams.reverse();
  const { page, nextToken } = paginate(streams, req, 50);
  return {
    logStreams: page.map((s) => streamShape(s, group, ctx)),
    ...(nextToken ? { nextToken } : {}),
  };
}

function streamShape(s: LogStream, g: LogGroup, ctx: LogsContext): Record<string, unknown> {
  return {
    logStreamName: s.logStreamName,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp !== undefined ? { firstEventTimestamp: s.firstEventTimestamp } : {}),
    ...(s.lastEventTimestamp !== undefined ? { lastEventTimestamp: s.lastEventTimestamp } : {}),
    ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
    arn: `${groupArn(ctx, g.logGroupName)}:log-stream:${s.logStreamName}`,
    storedBytes: 0,
  };
}

function putLogEvents(req: Input, store: LogStore): unknown {
  const group = requireGroup(store, str(req, "logGroupName"));
  const streamName = str(req, "logStreamName");
  if (!group.streams.has(streamName)) throw new LogsResourceNotFoundException(LogsMessages.streamNotFound);
  const events = Array.isArray(req["logEvents"]) ? (req["logEvents"] as Input[]) : [];
  for (const e of events) {
    store.append(group.logGroupName, streamName, String(e["message"] ?? ""), num(e["timestamp"]));
  }
  return {};
}

/**
 * Tokens are positions in the stream's event array: `f/<n>/s` reads forward from n, `b/<n>/s`
 * reads backward from just before n. When a forward read finds nothing new the same token comes
 * back, which is how clients (awslogs tail, boto paginator loops) detect the end, as on AWS.
 */
function getLogEvents(req: Input, store: LogStore): unknown {
  const group = requireGroup(store, groupNameOf(req, store));
  const stream = group.streams.get(str(req, "logStreamName"));
  if (!stream) throw new LogsResourceNotFoundException(LogsMessages.streamNotFound);
  const startTime = num(req["startTime"]);
  const endTime = num(req["endTime"]);
  const limit = clampLimit(num(req["limit"]), 10_000);
  const inRange = (e: LogEvent): boolean =>
    (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime);
  const events = stream.events;

  const token = optStr(req, "nextToken");
  let direction: "f" | "b";
  let position: number;
  if (token) {
    const m = /^([fb])\/(\d+)(?:\/s)?$/.exec(token);
    if (!m) throw new LogsInvalidParameterException(LogsMessages.invalidToken);
    direction = m[1] as "f" | "b";
    position = Math.min(Number(m[2]), events.length);
  } else if (req["startFromHead"] === true) {
    direction = "f";
    position = 0;
  } else {
    direction = "b";
    position = events.length;
  }

  const picked: number[] = [];
  if (direction === "f") {
    for (let i = position; i < events.length && picked.length < limit; i++) if (inRange(events[i]!)) picked.push(i);
  } else {
    for (let i = position - 1; i >= 0 && picked.length < limit; i--) if (inRange(events[i]!)) picked.unshift(i);
  }
  const first = picked[0];
  const last = picked[picked.length - 1];
  const forward = last !== undefined ? last + 1 : direction === "f" ? position : position;
  const backward = first !== undefined ? first : position;
  return {
    events: picked.map((i) => ({ timestamp: events[i]!.timestamp, message: events[i]!.message, ingestionTime: events[i]!.ingestionTime })),
    nextForwardToken: `f/${pad(forward)}/s`,
    nextBackwardToken: `b/${pad(backward)}/s`,
  };
}

function filterLogEvents(req: Input, store: LogStore): unknown {
  const group = requireGroup(store, groupNameOf(req, store));
  const names = Array.isArray(req["logStreamNames"]) ? (req["logStreamNames"] as unknown[]).map(String) : undefined;
  const prefix = optStr(req, "logStreamNamePrefix");
  if (names && prefix !== undefined) {
    throw new LogsInvalidParameterException("Cannot specify both logStreamNames and logStreamNamePrefix.");
  }
  const startTime = num(req["startTime"]);
  const endTime = num(req["endTime"]);
  const pattern = optStr(req, "filterPattern") ?? "";

  const streams = [...group.streams.values()]
    .filter((s) => (names ? names.includes(s.logStreamName) : prefix === undefined || s.logStreamName.startsWith(prefix)))
    .sort((a, b) => cmp(a.logStreamName, b.logStreamName));
  const matched: { s: LogStream; i: number; e: LogEvent }[] = [];
  for (const s of streams) {
    s.events.forEach((e, i) => {
      if (startTime !== undefined && e.timestamp < startTime) return;
      if (endTime !== undefined && e.timestamp > endTime) return;
      if (!matchesFilterPattern(pattern, e.message)) return;
      matched.push({ s, i, e });
    });
  }
  // Merge across streams by time; stream name then position keep ties deterministic.
  matched.sort((a, b) => a.e.timestamp - b.e.timestamp || cmp(a.s.logStreamName, b.s.logStreamName) || a.i - b.i);

  const { page, nextToken } = paginate(matched, req, 10_000);
  return {
    events: page.map(({ s, i, e }) => ({
      logStreamName: s.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: `${s.logStreamName}:${i}`,
    })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.logStreamName, searchedCompletely: true })),
    ...(nextToken ? { nextToken } : {}),
  };
}

// --- helpers ---

function requireGroup(store: LogStore, name: string): LogGroup {
  const g = store.getGroup(name);
  if (!g) throw new LogsResourceNotFoundException(LogsMessages.groupNotFound);
  return g;
}

/** logGroupIdentifier (name or ARN) is accepted where AWS accepts it. */
function groupNameOf(req: Input, store: LogStore): string {
  const id = optStr(req, "logGroupIdentifier");
  if (id !== undefined) {
    const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(id);
    return m ? m[1]! : id;
  }
  void store;
  return str(req, "logGroupName");
}

function groupArn(ctx: LogsContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${name}`;
}

function paginate<T>(items: T[], req: Input, defaultLimit: number): { page: T[]; nextToken?: string } {
  const limit = clampLimit(num(req["limit"]), defaultLimit);
  const token = optStr(req, "nextToken");
  let offset = 0;
  if (token) {
    const m = /^o\/(\d+)$/.exec(token);
    if (!m) throw new LogsInvalidParameterException(LogsMessages.invalidToken);
    offset = Number(m[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + page.length;
  return next < items.length ? { page, nextToken: `o/${next}` } : { page };
}

function str(req: Input, key: string): string {
  const v = req[key];
  if (typeof v !== "string" || v === "") throw new LogsInvalidParameterException(LogsMessages.missingParameter(key));
  return v;
}

function optStr(req: Input, key: string): string | undefined {
  const v = req[key];
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function clampLimit(v: number | undefined, max: number): number {
  return v === undefined || v <= 0 ? max : Math.min(v, max);
}

function pad(n: number): string {
  return String(n).padStart(20, "0");
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
