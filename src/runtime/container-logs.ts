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
}

export interface LogDestination extends LogLocation {
  store: LogStore;
}

export class ContainerLogs {
  constructor(private readonly opts: ContainerLogsOptions) {}

  /** Where a container's output is (or would be) kept; for readers such as the admin API. */
  locate(input: Parameters<typeof containerLogLocation>[0]): LogDestination {
    const where = containerLogLocation(input);
    return { ...where, store: where.awslogs ? this.opts.cloudwatch : this.opts.local };
  }

  /**
   * Opens every container's stream, creating awslogs groups only where allowed. Throws
   * TaskStartError with Fargate's ResourceInitializationError when a group is missing; nothing
   * is created in that case.
   */
  open(spec: RuntimeTaskSpec): Map<string, LogDestination> {
    const destinations = new Map(spec.containers.map((c) => [c.name, this.destinationOf(spec, c)] as const));
    // A group one container may create serves every container of the task that names it.
    const creatable = new Set(spec.containers.filter((c) => this.mayCreateGroup(c)).map((c) => destinations.get(c.name)!.group));
    const missing = spec.containers.find((c) => {
      const d = destinations.get(c.name)!;
      return d.awslogs && !d.store.getGroup(d.group) && !creatable.has(d.group);
    });
    if (missing) {
      const group = destinations.get(missing.name)!.group;
      throw new TaskStartError(Messages.awslogsGroupMissing, { [missing.name]: Messages.awslogsGroupMissingContainer(group) });
    }
    for (const d of destinations.values()) d.store.createStream(d.group, d.stream);
    return destinations;
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
