import { DEFAULT_RESERVED_PORTS } from "../../src/domain/container-instances/registration.js";
import { awsvpcTaskLimit, instanceTypeSpec, registeredCpu, registeredMemory } from "../../src/domain/instance-types.js";
import type { CandidateInstance, TaskRequirements } from "../../src/scheduler/ec2-placement/index.js";

export const ARN_PREFIX = "arn:aws:ecs:us-east-1:123456789012:container-instance/default/";

/** A fresh instance of a type from the table, as placement sees it right after registration. */
export function instance(
  id: string,
  options: {
    type?: string;
    az?: string;
    attributes?: Record<string, string | null>;
    groups?: (string | undefined)[];
    used?: { cpu?: number; memory?: number };
    status?: CandidateInstance["status"];
    agentConnected?: boolean;
    trunking?: boolean;
  } = {},
): CandidateInstance {
  const spec = instanceTypeSpec(options.type ?? "m5.large")!;
  return {
    arn: `${ARN_PREFIX}${id}`,
    ec2InstanceId: `i-${id}`,
    status: options.status ?? "ACTIVE",
    agentConnected: options.agentConnected ?? true,
    agentVersion: "1.90.0",
    registeredAt: Date.parse("2026-01-01T00:00:00Z"),
    attributes: {
      "ecs.instance-type": spec.name,
      "ecs.availability-zone": options.az ?? "us-east-1a",
      "ecs.cpu-architecture": spec.architecture,
      "ecs.capability.task-eni": null,
      ...options.attributes,
    },
    remaining: {
      cpu: registeredCpu(spec) - (options.used?.cpu ?? 0),
      memory: registeredMemory(spec) - (options.used?.memory ?? 0),
      ports: [...DEFAULT_RESERVED_PORTS],
      portsUdp: [],
      enis: awsvpcTaskLimit(spec, options.trunking ?? false),
      gpuIds: Array.from({ length: spec.gpus }, (_, i) => `GPU-${id}-${i}`),
    },
    tasks: (options.groups ?? []).map((group) => ({ group })),
  };
}

export function task(over: Partial<TaskRequirements> = {}): TaskRequirements {
  return {
    cpu: 256,
    memory: 512,
    gpus: 0,
    hostPorts: [],
    dynamicPorts: [],
    awsvpc: false,
    requiredAttributes: [],
    group: "service:web",
    ...over,
  };
}

/** Deterministic stand-in for the seeded source: cycles through the given values. */
export function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

export const noRandom = (): number => {
  throw new Error("random drawn without a random strategy");
};

export const idOf = (arn: string): string => arn.slice(ARN_PREFIX.length);
