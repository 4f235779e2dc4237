import type { ContainerDefinition, RegisterTaskDefinitionRequest, TaskDefinition } from "@aws-sdk/client-ecs";
import { ClientException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import type { StaticLimits } from "../quotas/types.js";
import { isValidFargatePair, normalizeCpu, normalizeMemory } from "./fargate-sizes.js";

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Validates a RegisterTaskDefinition request the way ECS does and returns the definition as it
 * will be stored: what the client sent, with cpu/memory converted to unit strings and only the
 * defaults AWS itself adds (empty lists, cpu 0, essential true), so that clients comparing a
 * described definition field by field (Prefect) see what they registered.
 */
export function validateTaskDefinition(input: RegisterTaskDefinitionRequest, limits: StaticLimits): TaskDefinition {
  const family = input.family ?? "";
  if (family.trim() === "") throw new ClientException(Messages.familyBlank);
  if (!FAMILY.test(family)) throw new ClientException(Messages.familyInvalid);

  const size = Buffer.byteLength(JSON.stringify(input), "utf8");
  if (size > limits.taskDefinitionMaxBytes) throw new ClientException(Messages.taskDefinitionTooLarge(limits.taskDefinitionMaxBytes));

  const containers = input.containerDefinitions ?? [];
  if (containers.length < 1 || containers.length > limits.containersPerTaskDefinition) {
    throw new ClientException(Messages.containerCountInvalid);
  }

  const cpu = convert(input.cpu, normalizeCpu, Messages.invalidCpuValue);
  const memory = convert(input.memory, normalizeMemory, Messages.invalidMemoryValue);
  const fargate = input.requiresCompatibilities?.includes("FARGATE") ?? false;

  const seen = new Set<string>();
  for (const c of containers) {
    const name = c.name ?? "";
    if (!CONTAINER_NAME.test(name)) throw new ClientException(Messages.containerNameInvalid(name));
    if (seen.has(name)) throw new ClientException(Messages.containerNameDuplicate(name));
    seen.add(name);
    if (!c.image || c.image.trim() === "") throw new ClientException(Messages.containerImageEmpty);
    if (memory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      throw new ClientException(fargate ? Messages.fargateMemoryRequired : Messages.containerMemoryMissing(name));
    }
    if (c.memory !== undefined && c.memoryReservation !== undefined && c.memory < c.memoryReservation) {
      throw new ClientException(Messages.containerMemoryBelowReservation(name));
    }
  }

  if (fargate) checkFargate(input, cpu, memory);

  const needsExecutionRole = (predicate: (c: ContainerDefinition) => boolean) =>
    containers.some(predicate) && !nonEmpty(input.executionRoleArn);
  if (fargate && needsExecutionRole((c) => c.logConfiguration?.logDriver === "awslogs")) {
    throw new ClientException(Messages.fargateAwslogsNeedsExecutionRole);
  }
  if (needsExecutionRole((c) => (c.secrets?.length ?? 0) > 0)) throw new ClientException(Messages.secretsNeedExecutionRole);

  return stored(input, cpu, memory);
}

function checkFargate(input: RegisterTaskDefinitionRequest, cpu: string | undefined, memory: string | undefined): void {
  if (input.networkMode !== "awsvpc") throw new ClientException(Messages.fargateNetworkMode);
  if (cpu === undefined) throw new ClientException(Messages.fargateCpuRequired);
  if (memory === undefined) throw new ClientException(Messages.fargateMemoryRequired);
  if (!isValidFargatePair(Number(cpu), Number(memory))) {
    throw new ClientException(Messages.fargateInvalidConfiguration(cpu, memory));
  }
  if ((input.placementConstraints?.length ?? 0) > 0) throw new ClientException(Messages.fargatePlacementConstraints);
  if (input.volumes?.some((v) => v.host?.sourcePath !== undefined)) throw new ClientException(Messages.fargateHostVolume);
  if (input.pidMode !== undefined && input.pidMode !== "task") throw new ClientException(Messages.fargatePidMode(input.pidMode));
  const storage = input.ephemeralStorage?.sizeInGiB;
  if (storage !== undefined && (storage < 21 || storage > 200)) throw new ClientException(Messages.ephemeralStorageRange);
}

function convert(
  value: string | undefined,
  normalize: (v: string) => string | undefined,
  message: string,
): string | undefined {
  if (value === undefined || value === "") return undefined;
  const converted = normalize(value);
  if (converted === undefined) throw new ClientException(message);
  return converted;
}

function nonEmpty(v: string | undefined): v is string {
  return v !== undefined && v !== "";
}

function stored(input: RegisterTaskDefinitionRequest, cpu: string | undefined, memory: string | undefined): TaskDefinition {
  const { tags: _tags, containerDefinitions, cpu: _cpu, memory: _memory, ...rest } = input;
  const def: TaskDefinition = {};
  for (const [key, value] of Object.entries(rest)) {
    // Empty role ARNs (fabfuel echoes `taskRoleArn: ""`) mean "none", as on AWS.
    if (value === "" || value === undefined || value === null) continue;
    (def as Record<string, unknown>)[key] = value;
  }
  def.containerDefinitions = (containerDefinitions ?? []).map((c) => withContainerDefaults(c, input.networkMode));
  def.volumes = input.volumes ?? [];
  def.placementConstraints = input.placementConstraints ?? [];
  if (cpu !== undefined) def.cpu = cpu;
  if (memory !== undefined) def.memory = memory;
  return def;
}

function withContainerDefaults(c: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  const portMappings = (c.portMappings ?? []).map((p) => ({
    ...p,
    // In awsvpc and host mode the host port is the container port; AWS fills both in.
    ...(networkMode === "awsvpc" || networkMode === "host" ? { hostPort: p.hostPort ?? p.containerPort } : {}),
    protocol: p.protocol ?? "tcp",
  }));
  return {
    ...c,
    cpu: c.cpu ?? 0,
    portMappings,
    essential: c.essential ?? true,
    environment: c.environment ?? [],
    mountPoints: c.mountPoints ?? [],
    volumesFrom: c.volumesFrom ?? [],
    systemControls: c.systemControls ?? [],
  };
}
