import type { Attribute, Resource } from "@aws-sdk/client-ecs";
import { registeredCpu, registeredMemory, type InstanceTypeSpec } from "../instance-types.js";

/** Ports the agent reserves by default: SSH, Docker (2375/2376), its introspection and metadata ports. */
export const DEFAULT_RESERVED_PORTS: readonly number[] = [22, 2375, 2376, 51678, 51679];

/** The agent's dynamic host port range when the kernel's ephemeral range cannot be read. */
export const DEFAULT_DYNAMIC_PORT_RANGE = { first: 49153, last: 65535 } as const;

/** Docker Engine API versions the agent advertises (its list of known versions). */
export const DOCKER_REMOTE_API_VERSIONS: readonly string[] = Array.from({ length: 28 }, (_, i) => `1.${17 + i}`);

const LOGGING_DRIVERS = ["json-file", "syslog", "journald", "awslogs", "fluentd", "gelf", "splunk", "awsfirelens", "none"];

/** Name-only capabilities every simulated Linux instance registers, as a current ECS agent does. */
const BASE_CAPABILITIES: readonly string[] = [
  ...DOCKER_REMOTE_API_VERSIONS.map((v) => `com.amazonaws.ecs.capability.docker-remote-api.${v}`),
  ...LOGGING_DRIVERS.map((d) => `com.amazonaws.ecs.capability.logging-driver.${d}`),
  "com.amazonaws.ecs.capability.privileged-container",
  "com.amazonaws.ecs.capability.ecr-auth",
  "com.amazonaws.ecs.capability.task-iam-role",
  "com.amazonaws.ecs.capability.task-iam-role-network-host",
  "ecs.capability.execution-role-awslogs",
  "ecs.capability.execution-role-ecr-pull",
  "ecs.capability.container-health-check",
  "ecs.capability.container-ordering",
  "ecs.capability.task-eni",
  "ecs.capability.task-cpu-mem-limit",
  "ecs.capability.increased-task-cpu-limit",
  "ecs.capability.secrets.asm.environment-variables",
  "ecs.capability.secrets.ssm.environment-variables",
  "ecs.capability.secrets.asm.bootstrap.log-driver",
  "ecs.capability.secrets.ssm.bootstrap.log-driver",
  "ecs.capability.private-registry-authentication.secretsmanager",
  "ecs.capability.pid-ipc-namespace-sharing",
  "ecs.capability.env-files.s3",
  "ecs.capability.efs",
  "ecs.capability.efsAuth",
  "ecs.capability.firelens.fluentd",
  "ecs.capability.firelens.fluentbit",
  "ecs.capability.full-sync",
  "ecs.capability.execute-command",
  "ecs.capability.service-connect-v1",
  "ecs.capability.container-restart-policy",
];

export interface InstanceIdentity {
  availabilityZone: string;
  amiId: string;
  vpcId: string;
  subnetId: string;
  /** The trunk interface id when the instance launched with awsvpcTrunking on. */
  awsvpcTrunkId?: string;
}

/** The `ecs.*` and capability attributes ECS shows for an instance of this type, sorted by name. */
export function builtInAttributes(spec: InstanceTypeSpec, identity: InstanceIdentity): Attribute[] {
  const valued: Attribute[] = [
    { name: "ecs.ami-id", value: identity.amiId },
    { name: "ecs.availability-zone", value: identity.availabilityZone },
    { name: "ecs.cpu-architecture", value: spec.architecture },
    { name: "ecs.instance-type", value: spec.name },
    { name: "ecs.os-family", value: "LINUX" },
    { name: "ecs.os-type", value: "linux" },
    { name: "ecs.subnet-id", value: identity.subnetId },
    { name: "ecs.vpc-id", value: identity.vpcId },
  ];
  if (identity.awsvpcTrunkId) valued.push({ name: "ecs.awsvpc-trunk-id", value: identity.awsvpcTrunkId });
  const flags = [...BASE_CAPABILITIES];
  if (identity.awsvpcTrunkId) flags.push("ecs.capability.task-eni-trunking");
  if (spec.gpus > 0) flags.push("ecs.capability.gpu-driver-version");
  const all = [...valued, ...flags.map((name) => ({ name }))];
  return all.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
}

function integer(name: string, value: number): Resource {
  return { name, type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: value };
}

function stringSet(name: string, values: string[]): Resource {
  return { name, type: "STRINGSET", doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: values };
}

export interface RegistrationOptions {
  /** ECS_RESERVED_MEMORY: MiB the agent keeps out of what it registers. */
  reservedMemoryMiB?: number;
  /** ECS_RESERVED_PORTS; defaults to the agent's list. */
  reservedPorts?: readonly number[];
  /** ECS_RESERVED_PORTS_UDP; empty by default. */
  reservedPortsUdp?: readonly number[];
  /** GPU ids as the agent reports them (one per GPU of the type). */
  gpuIds?: readonly string[];
}

/** registeredResources as DescribeContainerInstances shows them for a freshly registered instance. */
export function registeredResources(spec: InstanceTypeSpec, options: RegistrationOptions = {}): Resource[] {
  const resources = [
    integer("CPU", registeredCpu(spec)),
    integer("MEMORY", registeredMemory(spec, options.reservedMemoryMiB ?? 0)),
    stringSet("PORTS", (options.reservedPorts ?? DEFAULT_RESERVED_PORTS).map(String)),
    stringSet("PORTS_UDP", (options.reservedPortsUdp ?? []).map(String)),
  ];
  if (spec.gpus > 0) {
    const ids = options.gpuIds ?? Array.from({ length: spec.gpus }, (_, i) => `GPU-${i}`);
    resources.push(stringSet("GPU", [...ids]));
  }
  return resources;
}
