import { cloneData } from "../core/clone-data.js";
import type {
  Cluster,
  Failure,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  RunTaskRequest,
  StartTaskRequest,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from "@aws-sdk/client-ecs";
import type { SimContext } from "../context.js";
import { stableStringify } from "../core/stable-json.js";
import type { ClusterService } from "../domain/clusters.js";
import type { Scope } from "../domain/scope.js";
import type { TagService } from "../domain/tags.js";
import type { TaskDefinitionRegistry } from "../domain/task-definitions.js";
import { isValidFargatePair } from "../domain/fargate-sizes.js";
import { isFargateProvider } from "../domain/capacity-providers.js";
import { describeEach } from "../domain/describe-each.js";
import { paginateIndex } from "../domain/pagination.js";
import { ConflictException, InvalidParameterException, ServiceNotFoundException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { Ec2Messages } from "../errors/ec2-messages.js";
import type { ContainerInstances } from "./instances/index.js";
import { planEc2Launch, type Ec2Slot } from "./ec2-launch.js";
import type { PlacementFailure } from "./ec2-placement/types.js";
import type { RuntimeEvent } from "../runtime/types.js";
import { Arn, nameFromArnOrName } from "../state/arn.js";
import { familyOfDefinitionArn, TaskIndex, type RegionState, type TaskRecord } from "../state/store.js";
import { NO_MANAGED_SCALING, type AutoScalingProviders, type CapacityGate } from "./capacity.js";
import { ProvisioningQueue } from "./provisioning.js";
import { checkCompatibility, resolveLaunchTarget, type LaunchTarget } from "./launch-target.js";
import { placeTasks } from "./placement.js";
import { newTask, runtimeSpec, type NewTaskParams } from "./task-factory.js";
import type { TaskLifecycle } from "./task-lifecycle.js";

/** A validated request to start `count` tasks of one definition. */
export interface LaunchPlan {
  cluster: Cluster;
  definition: TaskDefinition;
  count: number;
  target: LaunchTarget;
  overrides?: TaskOverride;
  networkConfiguration?: NetworkConfiguration;
  startedBy?: string;
  group?: string;
  tags: Tag[];
  enableExecuteCommand?: boolean;
  /** Tasks each provider already runs for this owner, so a strategy keeps its split as it grows. */
  existingByProvider?: Map<string, number>;
  /** EC2: the request's placement strategy and constraints. */
  placementStrategy?: PlacementStrategy[];
  placementConstraints?: PlacementConstraint[];
  /** StartTask: the instances to place on, one task each. */
  containerInstanceArns?: string[];
}

/** Why EC2 tasks of a launch were not placed, for the service scheduler's event. */
export interface PlacementShortfall {
  unplaced: number;
  noInstances: boolean;
  /** The Auto Scaling capacity provider the tasks were for, if any. */
  provider?: string;
  /** The cluster already had as many tasks waiting in PROVISIONING as ECS allows. */
  provisioningLimit?: boolean;
  closest?: PlacementFailure;
}

export interface LaunchResult {
  tasks: Task[];
  failures: Failure[];
  shortfall?: PlacementShortfall;
}

export interface LaunchOptions {
  /** Set by the service scheduler: tasks it owns. */
  serviceName?: string;
  requestId: string;
  operation: string;
}

/** RunTask, StopTask, DescribeTasks and ListTasks over the task lifecycle. */
export class TaskScheduler {
  constructor(
    private readonly ctx: SimContext,
    private readonly clusters: ClusterService,
    private readonly taskDefinitions: TaskDefinitionRegistry,
    private readonly tags: TagService,
    private readonly lifecycle: TaskLifecycle,
    private readonly capacity: CapacityGate,
    private readonly instances: ContainerInstances,
    private readonly autoScaling: AutoScalingProviders = NO_MANAGED_SCALING,
  ) {
    this.provisioning = new ProvisioningQueue(ctx, {
      timeoutMs: ctx.config.provisioningTimeoutMs ?? 1_800_000,
      maxPerCluster: MAX_PROVISIONING_PER_CLUSTER,
      onTimeout: (record, provider) =>
        this.lifecycle.requestStop(record.task.taskArn!, "TaskFailedToStart", Ec2Messages.provisioningTimedOut(provider)),
    });
  }

  /** Tasks waiting in PROVISIONING for an Auto Scaling capacity provider to grow. */
  readonly provisioning: ProvisioningQueue;

  private state(scope: Scope): RegionState {
    return this.ctx.store.region(scope.account, scope.region);
  }

  runTask(scope: Scope, input: RunTaskRequest, opts: LaunchOptions): { tasks: Task[]; failures: Failure[] } {
    const cluster = this.clusters.resolve(scope, input.cluster).cluster;
    const limits = this.ctx.quotas.limits(scope);
    const count = input.count ?? 1;
    if (count < 1 || count > limits.runTaskMaxCount) throw new InvalidParameterException(Messages.runTaskCount);

    const state = this.state(scope);
    const replay = this.replayClientToken(state, input);
    if (replay) return replay;

    const def = this.taskDefinitions.resolveForLaunch(scope, input.taskDefinition!);
    const target = resolveLaunchTarget(cluster, input.launchType, input.capacityProviderStrategy, this.clusters.fallbackLaunchType);
    checkCompatibility(def, target);
    if (def.networkMode === "awsvpc" && !(input.networkConfiguration?.awsvpcConfiguration?.subnets?.length)) {
      throw new InvalidParameterException(Messages.networkConfigurationRequired);
    }
    checkOverrides(def, input, isFargate(target));

    const { tasks, failures, shortfall } = this.launch(
      scope,
      {
        cluster,
        definition: def,
        count,
        target,
        overrides: input.overrides,
        networkConfiguration: input.networkConfiguration,
        startedBy: input.startedBy,
        group: input.group,
        tags: this.launchTags(scope, def, input, cluster.clusterName!),
        enableExecuteCommand: input.enableExecuteCommand,
        placementStrategy: input.placementStrategy,
        placementConstraints: input.placementConstraints,
      },
      opts,
    );
    if (shortfall?.noInstances) throw new InvalidParameterException(Ec2Messages.noContainerInstances);
    if (input.clientToken) {
      state.runTaskTokens.set(input.clientToken, {
        fingerprint: fingerprint(input),
        taskArns: tasks.map((t) => t.taskArn!),
        failures,
        at: this.ctx.clock.now(),
      });
    }
    this.ctx.logger.info(`RunTask ${def.family}:${def.revision} x${count}: ${tasks.length} started, ${failures.length} failed`, {
      cluster: cluster.clusterName,
      ...(failures.length ? { reason: failures[0]!.reason } : {}),
    });
    return { tasks, failures };
  }

  /**
   * Creates and starts tasks for a validated launch plan: placement across the strategy, capacity
   * and quota admission per task (refusals become `failures` entries without an ARN), then the
   * lifecycle. RunTask and the service scheduler both launch through here.
   */
  launch(scope: Scope, plan: LaunchPlan, opts: LaunchOptions): LaunchResult {
    if (isEc2(plan.target)) return this.launchOnInstances(scope, plan, opts);
    if (plan.target.kind === "launchType") return this.launchOnFargate(scope, plan, new Array(plan.count).fill(undefined), opts);
    // A strategy splits the tasks over its providers; Fargate's run on Fargate, the others on
    // their Auto Scaling group's instances.
    const providers = placeTasks(plan.target.strategy, plan.count, plan.existingByProvider);
    const out: LaunchResult = { tasks: [], failures: [] };
    const onInstances = new Map<string, number>();
    const onFargate: string[] = [];
    for (const p of providers) {
      if (this.autoScaling.isAutoScaling(scope, p)) onInstances.set(p, (onInstances.get(p) ?? 0) + 1);
      else onFargate.push(p);
    }
    if (onFargate.length) merge(out, this.launchOnFargate(scope, plan, onFargate, opts));
    for (const [provider, count] of onInstances) merge(out, this.launchOnInstances(scope, { ...plan, count }, opts, provider));
    return out;
  }

  private launchOnFargate(scope: Scope, plan: LaunchPlan, providers: (string | undefined)[], opts: LaunchOptions): LaunchResult {
    const clusterName = plan.cluster.clusterName!;
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    const launchType = plan.target.kind === "launchType" ? plan.target.launchType : "FARGATE";
    for (const provider of providers) {
      const task = newTask(this.taskParams(scope, plan, launchType, provider), this.ctx.random);
      const refusal = launchType === "FARGATE" ? this.admit(scope, task, clusterName, opts) : undefined;
      if (refusal) {
        failures.push({ reason: refusal });
        continue;
      }
      this.start(scope, clusterName, task, plan.definition, opts.serviceName);
      tasks.push(cloneData(task));
    }
    return { tasks, failures };
  }

  /**
   * EC2: places the tasks on the cluster's container instances (those of one capacity provider,
   * or the named ones for StartTask) and starts those that found a place. Tasks that did not are
   * reported per instance, as ECS reports them, and summed up in `shortfall` for the service
   * scheduler; on a provider with managed scaling they wait in PROVISIONING for it to grow.
   */
  private launchOnInstances(scope: Scope, plan: LaunchPlan, opts: LaunchOptions, provider?: string): LaunchResult {
    const clusterName = plan.cluster.clusterName!;
    const candidatesNow = () =>
      plan.containerInstanceArns
        ? this.instances.candidates(scope, plan.containerInstanceArns.map((arn) => this.instances.registry.find(scope, clusterName, arn)!))
        : this.instances.placementCandidates(scope, clusterName, provider);
    const group = plan.group ?? (opts.serviceName ? `service:${opts.serviceName}` : `family:${plan.definition.family}`);
    const planFor = (count: number) =>
      planEc2Launch(candidatesNow(), {
        definition: plan.definition,
        overrides: plan.overrides,
        group,
        count,
        strategies: plan.placementStrategy,
        constraints: plan.placementConstraints,
        random: () => this.ctx.random.float(),
      });
    const result = planFor(plan.count);
    const tasks: Task[] = [];
    const make = (slot?: Ec2Slot) =>
      newTask(
        {
          ...this.taskParams(scope, plan, "EC2", provider),
          ...(slot ? { containerInstanceArn: slot.containerInstanceArn } : {}),
          ...(slot?.availabilityZone ? { availabilityZone: slot.availabilityZone } : {}),
        },
        this.ctx.random,
      );
    for (const slot of result.slots) {
      const task = make(slot);
      this.start(scope, clusterName, task, plan.definition, opts.serviceName, slot);
      tasks.push(cloneData(task));
    }
    let unplaced = result.unplaced;
    // With managed scaling the rest wait in PROVISIONING for the group to scale out.
    const waits = !!provider && this.autoScaling.waitsForCapacity(scope, provider);
    if (waits) {
      while (unplaced > 0 && this.provisioning.hasRoom(clusterName)) {
        const task = make();
        this.startWaiting(scope, clusterName, task, plan.definition, provider, opts.serviceName, () => planFor(1).slots[0]);
        tasks.push(cloneData(task));
        unplaced--;
      }
    }
    const failures: Failure[] = unplaced > 0 ? result.failures.map((f) => ({ arn: f.arn, reason: f.reason })) : [];
    if (unplaced === 0) return { tasks, failures };
    this.ctx.bus.publish("task.placement-failed", {
      account: scope.account,
      region: scope.region,
      clusterArn: plan.cluster.clusterArn!,
      taskDefinitionArn: plan.definition.taskDefinitionArn!,
      ...(plan.group ? { group: plan.group } : {}),
      ...(plan.startedBy ? { startedBy: plan.startedBy } : {}),
      ...(opts.serviceName ? { serviceName: opts.serviceName } : {}),
      ...(provider ? { capacityProviderName: provider } : {}),
      operation: opts.operation,
      requestedCount: plan.count,
      unplacedCount: unplaced,
      noContainerInstances: result.noInstances,
      failures: result.failures.map((f) => ({ arn: f.arn, reason: f.reason })),
      ...(result.closest ? { closest: { arn: result.closest.arn, reason: result.closest.reason } } : {}),
    });
    return {
      tasks,
      failures,
      shortfall: {
        unplaced,
        noInstances: result.noInstances,
        ...(provider ? { provider } : {}),
        ...(result.closest ? { closest: result.closest } : {}),
        // Tasks that would have waited but found the cluster's PROVISIONING queue full.
        ...(waits ? { provisioningLimit: true } : {}),
      },
    };
  }

  /** What every new task of a launch plan shares. */
  private taskParams(scope: Scope, plan: LaunchPlan, launchType: NewTaskParams["launchType"], provider?: string): NewTaskParams {
    return {
      scope,
      clusterName: plan.cluster.clusterName!,
      clusterArn: plan.cluster.clusterArn!,
      definition: plan.definition,
      overrides: plan.overrides,
      launchType,
      ...(provider ? { capacityProviderName: provider } : {}),
      networkConfiguration: plan.networkConfiguration,
      startedBy: plan.startedBy,
      group: plan.group,
      tags: plan.tags,
      enableExecuteCommand: plan.enableExecuteCommand,
      now: new Date(this.ctx.clock.now()),
    };
  }

  /** StartTask: one task on each named container instance. */
  startTask(scope: Scope, input: StartTaskRequest, opts: LaunchOptions): LaunchResult {
    const cluster = this.clusters.resolveExisting(scope, input.cluster).cluster;
    const refs = input.containerInstances ?? [];
    if (refs.length === 0 || refs.length > 10) throw new InvalidParameterException(Ec2Messages.tooManyStartTaskInstances);
    const def = this.taskDefinitions.resolveForLaunch(scope, input.taskDefinition!);
    const target: LaunchTarget = { kind: "launchType", launchType: "EC2" };
    checkCompatibility(def, target);
    if (def.networkMode === "awsvpc" && !(input.networkConfiguration?.awsvpcConfiguration?.subnets?.length)) {
      throw new InvalidParameterException(Messages.networkConfigurationRequired);
    }
    checkOverrides(def, input as RunTaskRequest, false);
    const clusterName = cluster.clusterName!;
    const tags = this.launchTags(scope, def, input as RunTaskRequest, clusterName);
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const record = this.instances.registry.find(scope, clusterName, ref);
      if (!record) {
        failures.push({ arn: ref.startsWith("arn:") ? ref : Arn.containerInstance(scope, clusterName, ref), reason: "MISSING" });
        continue;
      }
      const one = this.launch(
        scope,
        {
          cluster,
          definition: def,
          count: 1,
          target,
          overrides: input.overrides,
          networkConfiguration: input.networkConfiguration,
          startedBy: input.startedBy,
          group: input.group,
          tags,
          enableExecuteCommand: input.enableExecuteCommand,
          containerInstanceArns: [record.instance.containerInstanceArn!],
        },
        opts,
      );
      tasks.push(...one.tasks);
      failures.push(...one.failures);
    }
    return { tasks, failures };
  }

  stopTask(scope: Scope, clusterRef: string | undefined, taskRef: string, reason: string | undefined): Task {
    const cluster = this.clusters.resolveExisting(scope, clusterRef);
    const record = this.find(scope, cluster.cluster.clusterName!, taskRef);
    if (!record) throw new InvalidParameterException(Messages.taskNotFound);
    this.lifecycle.requestStop(record.task.taskArn!, "UserInitiated", reason || Messages.stoppedByUser);
    return cloneData(record.task);
  }

  /** Stops a task on behalf of the simulator (service scale-in, spot interruption). */
  stopBySystem(
    taskArn: string,
    stopCode: "ServiceSchedulerInitiated" | "SpotInterruption" | "TerminationNotice",
    reason: string,
    opts: { killBy?: number } = {},
  ): void {
    const spot = stopCode === "SpotInterruption" || stopCode === "TerminationNotice";
    this.lifecycle.requestStop(taskArn, stopCode, reason, { signalAtOnce: spot, ...opts });
  }

  describeTasks(scope: Scope, clusterRef: string | undefined, refs: string[], includeTags: boolean) {
    const clusterName = this.clusters.resolveExisting(scope, clusterRef).cluster.clusterName!;
    const limits = this.ctx.quotas.limits(scope);
    if (refs.length === 0) throw new InvalidParameterException(Messages.tasksEmpty);
    if (refs.length > limits.describeTasksMaxIds) throw new InvalidParameterException(Messages.tooManyTaskIds);
    const { found: tasks, failures } = describeEach(
      refs,
      (ref) => this.find(scope, clusterName, ref),
      (id) => Arn.task(scope, clusterName, id),
      (record) => {
        // A shallow view: nested values are shared with the store, which is safe because the
        // answer is encoded at once and never kept (a deep copy was a sixth of the call's CPU).
        // AWS answers an empty list, not the task's tags, unless TAGS is asked for.
        return { ...record.task, tags: includeTags ? this.tags.get(record.task.taskArn!, scope) : [] };
      },
    );
    return { tasks, failures };
  }

  listTasks(
    scope: Scope,
    filter: {
      cluster?: string;
      family?: string;
      startedBy?: string;
      serviceName?: string;
      desiredStatus?: string;
      launchType?: string;
      containerInstance?: string;
      maxResults?: number;
      nextToken?: string;
    },
  ) {
    const clusterName = this.clusters.resolveExisting(scope, filter.cluster).cluster.clusterName!;
    const state = this.state(scope);
    const serviceName = filter.serviceName ? nameFromArnOrName(filter.serviceName) : undefined;
    if (serviceName && !state.services.has(Arn.service(scope, clusterName, serviceName))) {
      throw new ServiceNotFoundException(Messages.serviceNotFound);
    }
    const desired = filter.desiredStatus ?? "RUNNING";
    // The narrowest index that covers the request; the remaining filters are checked per task.
    const indexKey = filter.containerInstance
      ? TaskIndex.containerInstance(filter.containerInstance)
      : serviceName
        ? TaskIndex.serviceDesired(clusterName, desired, serviceName)
        : filter.startedBy
          ? TaskIndex.startedByDesired(clusterName, desired, filter.startedBy)
          : filter.family
            ? TaskIndex.familyDesired(clusterName, desired, filter.family)
            : TaskIndex.desired(clusterName, desired);
    const { page: records, nextToken } = paginateIndex(
      state.tasks,
      indexKey,
      (r) => {
        const t = r.task;
        if (r.clusterName !== clusterName || t.desiredStatus !== desired) return false;
        if (filter.containerInstance && t.containerInstanceArn !== filter.containerInstance) return false;
        if (filter.family && familyOfDefinitionArn(t.taskDefinitionArn) !== filter.family) return false;
        if (filter.startedBy && t.startedBy !== filter.startedBy) return false;
        if (serviceName && r.serviceName !== serviceName) return false;
        if (filter.launchType && t.launchType !== filter.launchType) return false;
        return true;
      },
      { maxResults: filter.maxResults, nextToken: filter.nextToken, kind: "tasks" },
    );
    const page = records.map((r) => r.task.taskArn!);
    return { taskArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  /**
   * Scale-in protection for service tasks (default 120 minutes, 1 to 2880). Standalone and
   * stopped tasks are TASK_NOT_VALID failures, unknown ones MISSING, as ECS reports them.
   */
  updateProtection(scope: Scope, clusterRef: string, refs: string[], enabled: boolean, expiresInMinutes = 120) {
    const clusterName = this.clusters.resolveExisting(scope, clusterRef).cluster.clusterName!;
    const expiresAt = this.ctx.clock.now() + expiresInMinutes * 60_000;
    return this.protectionView(scope, clusterName, refs, (record) => {
      record.protection = enabled ? { enabled, expiresAt } : { enabled: false };
    });
  }

  getProtection(scope: Scope, clusterRef: string, refs: string[] | undefined) {
    const clusterName = this.clusters.resolveExisting(scope, clusterRef).cluster.clusterName!;
    const all = [...this.state(scope).tasksInCluster(clusterName)]
      .filter((r) => r.serviceName && r.task.lastStatus !== "STOPPED")
      .map((r) => r.task.taskArn!);
    return this.protectionView(scope, clusterName, refs ?? all, () => undefined);
  }

  /** Whether a service may not stop this task right now. */
  isProtected(record: TaskRecord): boolean {
    const p = record.protection;
    return !!p?.enabled && (p.expiresAt === undefined || p.expiresAt > this.ctx.clock.now());
  }

  private protectionView(scope: Scope, clusterName: string, refs: string[], apply: (record: TaskRecord) => void) {
    const protectedTasks: { taskArn: string; protectionEnabled: boolean; expirationDate?: Date }[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const record = this.find(scope, clusterName, ref);
      const arn = ref.startsWith("arn:") ? ref : Arn.task(scope, clusterName, ref);
      if (!record) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      if (!record.serviceName || record.task.desiredStatus === "STOPPED") {
        failures.push({ arn, reason: "TASK_NOT_VALID", detail: Messages.taskProtectionNotValid });
        continue;
      }
      apply(record);
      const on = this.isProtected(record);
      protectedTasks.push({
        taskArn: record.task.taskArn!,
        protectionEnabled: on,
        ...(on && record.protection?.expiresAt ? { expirationDate: new Date(record.protection.expiresAt) } : {}),
      });
    }
    return { protectedTasks, failures };
  }

  /** The task by ARN or id within the cluster. */
  find(scope: Scope, clusterName: string, ref: string): TaskRecord | undefined {
    const state = this.state(scope);
    const arn = ref.startsWith("arn:") ? ref : Arn.task(scope, clusterName, ref);
    const record = state.tasks.get(arn);
    return record && record.clusterName === clusterName ? record : undefined;
  }

  handleRuntimeEvent(event: RuntimeEvent): void {
    this.lifecycle.handleRuntimeEvent(event);
  }

  /** After a restart with persisted state: hands every persisted task back to the lifecycle. */
  async resume(): Promise<void> {
    const items = this.ctx.store.allRegions().flatMap((region) => {
      const scope = { account: region.account, region: region.region };
      return [...region.tasks.values()].map((record) => {
        const task = record.task;
        // A definition deleted since still describes the containers well enough to stop them.
        const def = this.taskDefinitions.find(scope, task.taskDefinitionArn!)?.record.definition ?? {
          containerDefinitions: (task.containers ?? []).map((c) => ({ name: c.name, image: c.image, essential: true })),
        };
        const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface");
        const ip = eni?.details?.find((d) => d.name === "privateIPv4Address")?.value ?? "10.0.0.2";
        // On a container instance: the host ports the task was given, from what it reported.
        const slot = task.containerInstanceArn ? { hostPorts: reportedHostPorts(task, def) } : undefined;
        return { scope, record, spec: runtimeSpec(scope, record.clusterName, task, def, ip, record.serviceName, slot) };
      });
    });
    await this.lifecycle.resumeAll(items);
  }

  private admit(scope: Scope, task: Task, clusterName: string, opts: LaunchOptions): string | undefined {
    const provider = task.capacityProviderName ?? "FARGATE";
    const shortage = this.capacity.check(scope, provider);
    if (shortage) return shortage;
    const decision = this.ctx.quotas.reserveLaunch(scope, {
      taskArn: task.taskArn!,
      vcpuClass: provider === "FARGATE_SPOT" ? "spot" : "on-demand",
      vcpu: Number(task.cpu ?? 0) / 1024,
      memoryMiB: Number(task.memory ?? 0),
      cluster: clusterName,
      operation: opts.operation,
      requestId: opts.requestId,
    });
    return decision.ok ? undefined : decision.reason;
  }

  private start(scope: Scope, clusterName: string, task: Task, def: TaskDefinition, serviceName?: string, slot?: Ec2Slot): void {
    const record: TaskRecord = {
      task,
      clusterName,
      containersStarted: false,
      ...(serviceName ? { serviceName } : {}),
      ...(slot ? { placement: slot.record } : {}),
    };
    this.state(scope).tasks.set(task.taskArn!, record);
    this.tags.replace(task.taskArn!, task.tags ?? []);
    const ip = `10.0.${this.ctx.random.int(0, 255)}.${this.ctx.random.int(2, 254)}`;
    this.lifecycle.launch(scope, record, runtimeSpec(scope, clusterName, task, def, ip, serviceName, slot));
  }

  /** A task that waits in PROVISIONING until its capacity provider's instances have room for it. */
  private startWaiting(
    scope: Scope,
    clusterName: string,
    task: Task,
    def: TaskDefinition,
    provider: string,
    serviceName: string | undefined,
    tryPlace: () => Ec2Slot | undefined,
  ): void {
    const record: TaskRecord = { task, clusterName, containersStarted: false, ...(serviceName ? { serviceName } : {}) };
    const state = this.state(scope);
    state.tasks.set(task.taskArn!, record);
    this.tags.replace(task.taskArn!, task.tags ?? []);
    const ip = `10.0.${this.ctx.random.int(0, 255)}.${this.ctx.random.int(2, 254)}`;
    const wait = this.provisioning.wait({
      scope,
      clusterName,
      provider,
      record,
      tryPlace,
      apply: (slot) => {
        task.containerInstanceArn = slot.containerInstanceArn;
        if (slot.availabilityZone) task.availabilityZone = slot.availabilityZone;
        record.placement = slot.record;
        state.taskChanged(record);
        return runtimeSpec(scope, clusterName, task, def, ip, serviceName, slot);
      },
    });
    this.lifecycle.launch(scope, record, runtimeSpec(scope, clusterName, task, def, ip, serviceName), wait);
  }

  /** The caller's tags, the definition's when propagated, and ECS's managed tags when asked for. */
  private launchTags(scope: Scope, def: TaskDefinition, input: RunTaskRequest, clusterName: string): Tag[] {
    const own = input.tags ?? [];
    if (own.length) this.tags.validate(scope, own);
    const inherited =
      input.propagateTags === "TASK_DEFINITION"
        ? this.tags.get(def.taskDefinitionArn!, scope).filter((t) => !own.some((o) => o.key === t.key))
        : [];
    const managed = input.enableECSManagedTags ? [{ key: "aws:ecs:clusterName", value: clusterName }] : [];
    return [...inherited, ...own, ...managed];
  }

  private replayClientToken(state: RegionState, input: RunTaskRequest) {
    if (!input.clientToken) return undefined;
    const previous = state.runTaskTokens.get(input.clientToken);
    if (!previous) return undefined;
    if (previous.fingerprint !== fingerprint(input)) {
      throw new ConflictException(Messages.clientTokenConflict, previous.taskArns);
    }
    const tasks = previous.taskArns
      .map((arn) => state.tasks.get(arn)?.task)
      .filter((t): t is Task => t !== undefined)
      .map((t) => cloneData(t));
    return { tasks, failures: previous.failures };
  }
}

/** ECS keeps at most 100 tasks per cluster waiting in PROVISIONING for capacity. */
const MAX_PROVISIONING_PER_CLUSTER = 100;

function merge(into: LaunchResult, part: LaunchResult): void {
  into.tasks.push(...part.tasks);
  into.failures.push(...part.failures);
  if (part.shortfall) into.shortfall = part.shortfall;
}

function isEc2(target: LaunchTarget): boolean {
  return target.kind === "launchType" && target.launchType === "EC2";
}

function isFargate(target: LaunchTarget): boolean {
  if (target.kind === "launchType") return target.launchType === "FARGATE";
  return target.strategy.every((s) => isFargateProvider(s.capacityProvider ?? ""));
}

function checkOverrides(def: TaskDefinition, input: RunTaskRequest, fargate: boolean): void {
  const overrides = input.overrides;
  if (!overrides) return;
  if (JSON.stringify(overrides.containerOverrides ?? []).length > 8192) {
    throw new InvalidParameterException(Messages.overridesTooLarge);
  }
  const names = new Set((def.containerDefinitions ?? []).map((c) => c.name));
  for (const o of overrides.containerOverrides ?? []) {
    if (!names.has(o.name)) {
      throw new InvalidParameterException(`Override for container named ${o.name} is not a container in the TaskDefinition.`);
    }
  }
  if (fargate && (overrides.cpu || overrides.memory)) {
    const cpu = overrides.cpu ?? def.cpu ?? "";
    const memory = overrides.memory ?? def.memory ?? "";
    if (!isValidFargatePair(Number(cpu), Number(memory))) {
      throw new InvalidParameterException(Messages.fargateInvalidConfiguration(cpu, memory));
    }
  }
}

function fingerprint(input: RunTaskRequest): string {
  const { clientToken: _token, ...rest } = input;
  return stableStringify(rest);
}

/** Host port per port mapping as the task's containers report them (0 where none is reported). */
function reportedHostPorts(task: Task, def: TaskDefinition): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const c of def.containerDefinitions ?? []) {
    const bindings = task.containers?.find((x) => x.name === c.name)?.networkBindings ?? [];
    out[c.name!] = (c.portMappings ?? []).map((_, i) => bindings[i]?.hostPort ?? 0);
  }
  return out;
}
