/**
 * Where each container of a task writes its output, decided once before anything runs, the same
 * way for both runtimes. An awslogs container writes to its CloudWatch Logs group, which must
 * exist unless `awslogs-create-group` is "true" (or the simulator is told to create groups):
 * Fargate refuses to start the task otherwise. Containers without awslogs get no log group;
 * their output is kept aside for `GET /_sim/tasks/<id>/logs` only.
 */
import { Messages } from "../errors/messages.js";
import { containerLogLocation, type LogLocation } from "../logs/naming.js";
import type { LogStore } from "../logs/store.js";
import { TaskStartError, type RuntimeContainerSpec, type RuntimeTaskSpec } from "./types.js";

export interface ContainerLogsOptions {
  /** The CloudWatch Logs the Logs API serves. */
  cloudwatch: LogStore;
  /** Output of containers without awslogs; never visible through the Logs API. */
  local: LogStore;
  /** Create a missing awslogs group as if every container said `awslogs-create-group: "true"`. */
  autoCreateGroups: boolean;
  /** How many containers' local output is kept (default LOCAL_STREAMS_KEPT). */
  localStreamsKept?: number;
}

export interface LogDestination extends LogLocation {
  store: LogStore;
}

/**
 * Output kept aside for containers without awslogs is a debugging aid, not CloudWatch: only the
 * most recent containers' streams are kept, so a long run cannot grow without bound.
 */
export const LOCAL_STREAMS_KEPT = 10_000;

export class ContainerLogs {
  /** Local streams in creation order, oldest first (a Set drops its oldest entry in O(1)). */
  private readonly localStreams = new Set<string>();

  constructor(private readonly opts: ContainerLogsOptions) {}

  /** Where a container's output is (or would be) kept; for readers such as the admin API. */
  locate(input: Parameters<typeof containerLogLocation>[0]): LogDestination {
    const where = containerLogLocation(input);
    // Spelled out rather than spread: a spread copy here got a hidden class of its own per task.
    return { group: where.group, stream: where.stream, awslogs: where.awslogs, store: where.awslogs ? this.opts.cloudwatch : this.opts.local };
  }

  /**
   * Opens every container's stream, creating awslogs groups only where allowed. Throws
   * TaskStartError with Fargate's ResourceInitializationError when a group is missing; nothing
   * is created in that case.
   */
  /**
   * `groupsExisted`: the task started before (a restart adopts it), so its groups did exist; they
   * are made again, since captured logs do not outlive the process.
   */
  open(spec: RuntimeTaskSpec, opts: { groupsExisted?: boolean } = {}): Map<string, LogDestination> {
    const destinations = new Map(spec.containers.map((c) => [c.name, this.destinationOf(spec, c)] as const));
    // A group one container may create serves every container of the task that names it.
    const creatable = new Set(spec.containers.filter((c) => this.mayCreateGroup(c)).map((c) => destinations.get(c.name)!.group));
    const missing = spec.containers.find((c) => {
      const d = destinations.get(c.name)!;
      return d.awslogs && !d.store.getGroup(d.group) && !creatable.has(d.group);
    });
    if (missing && !opts.groupsExisted) {
      const group = destinations.get(missing.name)!.group;
      throw new TaskStartError(Messages.awslogsGroupMissing, { [missing.name]: Messages.awslogsGroupMissingContainer(group) });
    }
    for (const d of destinations.values()) {
      if (d.store.createStream(d.group, d.stream) && !d.awslogs) this.keepLocal(d);
    }
    return destinations;
  }

  /** Forgets every local stream (the store itself is cleared by its owner). */
  clear(): void {
    this.localStreams.clear();
  }

  private keepLocal(d: LogDestination): void {
    this.localStreams.add(JSON.stringify([d.group, d.stream]));
    const kept = this.opts.localStreamsKept ?? LOCAL_STREAMS_KEPT;
    for (const oldest of this.localStreams) {
      if (this.localStreams.size <= kept) break;
      this.localStreams.delete(oldest);
      const [group, stream] = JSON.parse(oldest) as [string, string];
      this.opts.local.getGroup(group)?.streams.delete(stream);
    }
  }

  private destinationOf(spec: RuntimeTaskSpec, c: RuntimeContainerSpec): LogDestination {
    return this.locate({
      clusterName: spec.clusterName,
      family: spec.family,
      taskId: spec.taskId,
      containerName: c.name,
      ...(c.logConfiguration ? { logConfiguration: c.logConfiguration } : {}),
    });
  }

  private mayCreateGroup(c: RuntimeContainerSpec): boolean {
    if (this.opts.autoCreateGroups) return true;
    // The awslogs driver reads the option with Go's strconv.ParseBool.
    const value = c.logConfiguration?.options?.["awslogs-create-group"];
    return value !== undefined && ["1", "t", "T", "TRUE", "true", "True"].includes(value);
  }
}
