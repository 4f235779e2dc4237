import type {
  Container,
  KeyValuePair,
  NetworkConfiguration,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from "@aws-sdk/client-ecs";
import type { SeededRandom } from "../core/random.js";
import type { RuntimeContainerSpec, RuntimeTaskSpec } from "../runtime/types.js";
import { Arn } from "../state/arn.js";
import type { Scope } from "../domain/scope.js";

export interface NewTaskParams {
  scope: Scope;
  clusterName: string;
  clusterArn: string;
  definition: TaskDefinition;
  overrides?: TaskOverride;
  launchType: "FARGATE" | "EC2" | "EXTERNAL";
  capacityProviderName?: string;
  networkConfiguration?: NetworkConfiguration;
  startedBy?: string;
  group?: string;
  tags: Tag[];
  enableExecuteCommand?: boolean;
  now: Date;
  /** EC2 launch type: the instance placement chose, and its zone. */
  containerInstanceArn?: string;
  availabilityZone?: string;
}

const FARGATE_STOP_TIMEOUT_MAX_S = 120;
const DEFAULT_STOP_TIMEOUT_S = 30;

/*
 * Values every task without overrides would otherwise carry its own copy of. A hundred thousand
 * tasks share them; they are frozen because a task's record must never change them in place.
 */
const NO_OVERRIDES: TaskOverride = Object.freeze({ containerOverrides: Object.freeze([]), inferenceAcceleratorOverrides: Object.freeze([]) }) as unknown as TaskOverride;
const architectureAttributes = new Map<string, Task["attributes"]>();

function architectureAttribute(arch: string): Task["attributes"] {
  let shared = architectureAttributes.get(arch);
  if (!shared) {
    shared = Object.freeze([Object.freeze({ name: "ecs.cpu-architecture", value: arch })]) as Task["attributes"];
    architectureAttributes.set(arch, shared);
  }
  return shared;
}

/** Container specs by definition (and Fargate's stop timeout cap), for tasks without container overrides. */
const sharedContainerSpecs = new WeakMap<TaskDefinition, Map<boolean, RuntimeContainerSpec[]>>();

/** Builds a task as RunTask returns it: PROVISIONING, desired RUNNING, version 1. */
export function newTask(p: NewTaskParams, random: SeededRandom): Task {
  const taskId = random.hex(32);
  const taskArn = Arn.task(p.scope, p.clusterName, taskId);
  const def = p.definition;
  const awsvpc = def.networkMode === "awsvpc";
  const fargate = p.launchType === "FARGATE";
  const subnets = p.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  const az = p.availabilityZone ?? `${p.scope.region}${random.pick(["a", "b", "c"])}`;
  const containers: Container[] = (def.containerDefinitions ?? []).map((c) => {
    const override = p.overrides?.containerOverrides?.find((o) => o.name === c.name);
    const container: Container = {
      containerArn: Arn.container(p.scope, p.clusterName, taskId, random.uuid()),
      taskArn,
      name: c.name,
      image: c.image,
      lastStatus: "PENDING",
      networkInterfaces: [],
      networkBindings: [],
      healthStatus: "UNKNOWN",
      cpu: String(override?.cpu ?? c.cpu ?? 0),
    };
    const memory = override?.memory ?? c.memory;
    const reservation = override?.memoryReservation ?? c.memoryReservation;
    if (memory !== undefined) container.memory = String(memory);
    if (reservation !== undefined) container.memoryReservation = String(reservation);
    return container;
  });
  const task: Task = {
    attachments: awsvpc
      ? [
          {
            id: random.uuid(),
            type: "ElasticNetworkInterface",
            status: "PRECREATED",
            details: subnets.length > 0 ? [{ name: "subnetId", value: subnets[0] }] : [],
          },
        ]
      : [],
    attributes: architectureAttribute(def.runtimePlatform?.cpuArchitecture?.toLowerCase() ?? "x86_64"),
    availabilityZone: az,
    clusterArn: p.clusterArn,
    containers,
    cpu: p.overrides?.cpu ?? def.cpu,
    memory: p.overrides?.memory ?? def.memory,
    createdAt: p.now,
    desiredStatus: "RUNNING",
    enableExecuteCommand: p.enableExecuteCommand ?? false,
    group: p.group ?? `family:${def.family}`,
    healthStatus: "UNKNOWN",
    lastStatus: "PROVISIONING",
    launchType: p.launchType,
    overrides: p.overrides ? {
      containerOverrides: p.overrides?.containerOverrides ?? [],
      inferenceAcceleratorOverrides: p.overrides?.inferenceAcceleratorOverrides ?? [],
      ...(p.overrides?.cpu ? { cpu: p.overrides.cpu } : {}),
      ...(p.overrides?.memory ? { memory: p.overrides.memory } : {}),
      ...(p.overrides?.taskRoleArn ? { taskRoleArn: p.overrides.taskRoleArn } : {}),
      ...(p.overrides?.executionRoleArn ? { executionRoleArn: p.overrides.executionRoleArn } : {}),
      ...(p.overrides?.ephemeralStorage ? { ephemeralStorage: p.overrides.ephemeralStorage } : {}),
    } : NO_OVERRIDES,
    tags: p.tags,
    taskArn,
    taskDefinitionArn: def.taskDefinitionArn,
    version: 1,
  };
  if (p.capacityProviderName) task.capacityProviderName = p.capacityProviderName;
  if (p.containerInstanceArn) task.containerInstanceArn = p.containerInstanceArn;
  if (p.startedBy) task.startedBy = p.startedBy;
  if (fargate) {
    task.platformVersion = "1.4.0";
    task.platformFamily = def.runtimePlatform?.operatingSystemFamily?.startsWith("WINDOWS") ? "Windows" : "Linux";
    const size = p.overrides?.ephemeralStorage?.sizeInGiB ?? def.ephemeralStorage?.sizeInGiB ?? 20;
    task.ephemeralStorage = { sizeInGiB: size };
    task.fargateEphemeralStorage = { sizeInGiB: size };
  }
  return task;
}

export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf("/") + 1);
}

/** What the runtime needs to run the task: definitions with overrides applied. */
export function runtimeSpec(
  scope: Scope,
  clusterName: string,
  task: Task,
  def: TaskDefinition,
  privateIp: string,
  serviceName?: string,
  slot?: { hostPorts: Record<string, number[]>; ec2InstanceId?: string },
): RuntimeTaskSpec {
  const fargate = task.launchType === "FARGATE";
  const containers = task.overrides?.containerOverrides?.length ? containerSpecs(def, task, fargate) : sharedContainerSpecsOf(def, task, fargate);
  return {
    account: scope.account,
    region: scope.region,
    clusterName,
    clusterArn: task.clusterArn!,
    taskArn: task.taskArn!,
    taskId: taskIdOf(task.taskArn!),
    family: def.family!,
    revision: def.revision!,
    taskDefinitionArn: def.taskDefinitionArn!,
    launchType: task.launchType!,
    ...(task.capacityProviderName ? { capacityProviderName: task.capacityProviderName } : {}),
    networkMode: def.networkMode ?? "bridge",
    ...(def.pidMode ? { pidMode: def.pidMode } : {}),
    ...(def.ipcMode ? { ipcMode: def.ipcMode } : {}),
    ...(task.cpu ? { cpu: Number(task.cpu) } : {}),
    ...(task.memory ? { memory: Number(task.memory) } : {}),
    taskRoleArn: task.overrides?.taskRoleArn ?? def.taskRoleArn,
    executionRoleArn: task.overrides?.executionRoleArn ?? def.executionRoleArn,
    availabilityZone: task.availabilityZone!,
    privateIp,
    volumes: def.volumes ?? [],
    tags: task.tags ?? [],
    ...(serviceName ? { serviceName } : {}),
    ...(slot && task.containerInstanceArn
      ? {
          containerInstance: {
            arn: task.containerInstanceArn,
            hostPorts: slot.hostPorts,
            ...(slot.ec2InstanceId ? { ec2InstanceId: slot.ec2InstanceId } : {}),
          },
        }
      : {}),
    containers,
  };
}

/** Tasks without container overrides share their definition's container specs (read-only to runtimes). */
function sharedContainerSpecsOf(def: TaskDefinition, task: Task, fargate: boolean): RuntimeContainerSpec[] {
  let byFargate = sharedContainerSpecs.get(def);
  if (!byFargate) {
    byFargate = new Map();
    sharedContainerSpecs.set(def, byFargate);
  }
  let specs = byFargate.get(fargate);
  if (!specs) {
    specs = containerSpecs(def, task, fargate);
    byFargate.set(fargate, specs);
  }
  return specs;
}

/** What the runtime needs of each container: the definition with the task's overrides applied. */
function containerSpecs(def: TaskDefinition, task: Task, fargate: boolean): RuntimeContainerSpec[] {
  return (def.containerDefinitions ?? []).map((c) => {
    const o = task.overrides?.containerOverrides?.find((x) => x.name === c.name);
    const stopTimeout = Math.min(c.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S, fargate ? FARGATE_STOP_TIMEOUT_MAX_S : Infinity);
    return {
      name: c.name!,
      image: c.image!,
      essential: c.essential ?? true,
      command: o?.command ?? c.command,
      entryPoint: c.entryPoint,
      environment: mergeEnvironment(c.environment ?? [], o?.environment ?? []),
      environmentFiles: [...(c.environmentFiles ?? []), ...(o?.environmentFiles ?? [])],
      secrets: c.secrets,
      workingDirectory: c.workingDirectory,
      user: c.user,
      cpu: o?.cpu ?? c.cpu ?? 0,
      memory: o?.memory ?? c.memory,
      memoryReservation: o?.memoryReservation ?? c.memoryReservation,
      portMappings: c.portMappings ?? [],
      dependsOn: c.dependsOn ?? [],
      healthCheck: c.healthCheck,
      stopTimeout,
      ...(c.startTimeout !== undefined ? { startTimeout: c.startTimeout } : {}),
      ulimits: c.ulimits,
      readonlyRootFilesystem: c.readonlyRootFilesystem,
      linuxParameters: c.linuxParameters,
      logConfiguration: c.logConfiguration,
      mountPoints: c.mountPoints,
      privileged: c.privileged,
      dockerLabels: c.dockerLabels,
    };
  });
}

function mergeEnvironment(base: KeyValuePair[], overrides: KeyValuePair[]): KeyValuePair[] {
  const byName = new Map(base.map((e) => [e.name, e]));
  for (const e of overrides) byName.set(e.name, e);
  return [...byName.values()];
}
