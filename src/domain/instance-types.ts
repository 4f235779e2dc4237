/**
 * EC2 instance types a simulated container instance can be: the data placement needs (vCPU,
 * memory, network interfaces, architecture, GPUs). Sources and the memory model are in
 * docs/ec2-instances.md; keep that page and this table in step.
 */
export type CpuArchitecture = "x86_64" | "arm64";

export interface InstanceTypeSpec {
  readonly name: string;
  readonly family: string;
  readonly vcpu: number;
  /** Nominal memory as EC2 advertises it, in MiB. */
  readonly memoryMiB: number;
  /** Network interfaces the instance can attach, the primary one included. */
  readonly maxEnis: number;
  /**
   * Network interfaces with awsvpcTrunking on (primary and trunk included), or undefined where
   * ECS does not support trunking for the type.
   */
  readonly maxTrunkEnis: number | undefined;
  readonly architecture: CpuArchitecture;
  readonly gpus: number;
}

/** [size, vCPU, memory GiB, ENIs, awsvpc tasks with trunking (undefined: unsupported), GPUs] */
type Row = readonly [string, number, number, number, number | undefined, number?];

const FAMILIES: Record<string, { architecture: CpuArchitecture; rows: readonly Row[] }> = {
  t3: {
    architecture: "x86_64",
    rows: [
      ["nano", 2, 0.5, 2, undefined],
      ["micro", 2, 1, 2, undefined],
      ["small", 2, 2, 3, undefined],
      ["medium", 2, 4, 3, undefined],
      ["large", 2, 8, 3, undefined],
      ["xlarge", 4, 16, 4, undefined],
      ["2xlarge", 8, 32, 4, undefined],
    ],
  },
  m5: {
    architecture: "x86_64",
    rows: [
      ["large", 2, 8, 3, 10],
      ["xlarge", 4, 16, 4, 20],
      ["2xlarge", 8, 32, 4, 40],
      ["4xlarge", 16, 64, 8, 60],
      ["8xlarge", 32, 128, 8, 60],
      ["12xlarge", 48, 192, 8, 60],
      ["16xlarge", 64, 256, 15, 120],
      ["24xlarge", 96, 384, 15, 120],
    ],
  },
  m6i: {
    architecture: "x86_64",
    rows: [
      ["large", 2, 8, 3, 10],
      ["xlarge", 4, 16, 4, 20],
      ["2xlarge", 8, 32, 4, 40],
      ["4xlarge", 16, 64, 8, 60],
      ["8xlarge", 32, 128, 8, 90],
      ["12xlarge", 48, 192, 8, 120],
      ["16xlarge", 64, 256, 15, 120],
      ["24xlarge", 96, 384, 15, 120],
      ["32xlarge", 128, 512, 15, 120],
    ],
  },
  m7g: {
    architecture: "arm64",
    rows: [
      ["medium", 1, 4, 2, 4],
      ["large", 2, 8, 3, 10],
      ["xlarge", 4, 16, 4, 20],
      ["2xlarge", 8, 32, 4, 40],
      ["4xlarge", 16, 64, 8, 60],
      ["8xlarge", 32, 128, 8, 60],
      ["12xlarge", 48, 192, 8, 60],
      ["16xlarge", 64, 256, 15, 120],
    ],
  },
  c5: {
    architecture: "x86_64",
    rows: [
      ["large", 2, 4, 3, 10],
      ["xlarge", 4, 8, 4, 20],
      ["2xlarge", 8, 16, 4, 40],
      ["4xlarge", 16, 32, 8, 60],
      ["9xlarge", 36, 72, 8, 60],
      ["12xlarge", 48, 96, 8, 60],
      ["18xlarge", 72, 144, 15, 120],
      ["24xlarge", 96, 192, 15, 120],
    ],
  },
  c6g: {
    architecture: "arm64",
    rows: [
      ["medium", 1, 2, 2, 4],
      ["large", 2, 4, 3, 10],
      ["xlarge", 4, 8, 4, 20],
      ["2xlarge", 8, 16, 4, 40],
      ["4xlarge", 16, 32, 8, 60],
      ["8xlarge", 32, 64, 8, 60],
      ["12xlarge", 48, 96, 8, 60],
      ["16xlarge", 64, 128, 15, 120],
    ],
  },
  r5: {
    architecture: "x86_64",
    rows: [
      ["large", 2, 16, 3, 10],
      ["xlarge", 4, 32, 4, 20],
      ["2xlarge", 8, 64, 4, 40],
      ["4xlarge", 16, 128, 8, 60],
      ["8xlarge", 32, 256, 8, undefined],
      ["12xlarge", 48, 384, 8, 60],
      ["16xlarge", 64, 512, 15, 120],
      ["24xlarge", 96, 768, 15, 120],
    ],
  },
  g4dn: {
    architecture: "x86_64",
    rows: [
      ["xlarge", 4, 16, 3, undefined, 1],
      ["2xlarge", 8, 32, 3, undefined, 1],
      ["4xlarge", 16, 64, 3, undefined, 1],
      ["8xlarge", 32, 128, 4, undefined, 1],
      ["12xlarge", 48, 192, 8, undefined, 4],
      ["16xlarge", 64, 256, 4, undefined, 1],
    ],
  },
};

function buildTable(): ReadonlyMap<string, InstanceTypeSpec> {
  const table = new Map<string, InstanceTypeSpec>();
  for (const [family, { architecture, rows }] of Object.entries(FAMILIES)) {
    for (const [size, vcpu, memoryGiB, maxEnis, trunkTasks, gpus] of rows) {
      const name = `${family}.${size}`;
      table.set(name, {
        name,
        family,
        vcpu,
        memoryMiB: memoryGiB * 1024,
        maxEnis,
        // ECS's trunking table counts tasks; the primary and the trunk interface come on top.
        maxTrunkEnis: trunkTasks === undefined ? undefined : trunkTasks + 2,
        architecture,
        gpus: gpus ?? 0,
      });
    }
  }
  return table;
}

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeSpec> = buildTable();

export function instanceTypeSpec(name: string): InstanceTypeSpec | undefined {
  return INSTANCE_TYPES.get(name);
}

/** Registered CPU as the agent reports it: 1024 units per vCPU. */
export function registeredCpu(spec: InstanceTypeSpec): number {
  return spec.vcpu * 1024;
}

/**
 * What the kernel reports as MemTotal for a given nominal size, in MiB. The agent registers
 * MemTotal, not the nominal size; the linear model (a share for page tables plus a fixed part)
 * passes through both published data points: m4.large 8192 -> 7985 and t2.micro 1024 -> 983.
 */
export function kernelMemTotalMiB(nominalMiB: number): number {
  const overhead = Math.round((83 * nominalMiB + 61952) / 3584);
  return nominalMiB - overhead;
}

/** Registered MEMORY as the agent reports it: MemTotal in MiB minus ECS_RESERVED_MEMORY. */
export function registeredMemory(spec: InstanceTypeSpec, reservedMemoryMiB = 0): number {
  return Math.max(0, kernelMemTotalMiB(spec.memoryMiB) - reservedMemoryMiB);
}

/**
 * How many awsvpc tasks can get an interface: every attachable interface but the primary one
 * (and the trunk itself when trunking is on).
 */
export function awsvpcTaskLimit(spec: InstanceTypeSpec, trunking: boolean): number {
  if (trunking && spec.maxTrunkEnis !== undefined) return spec.maxTrunkEnis - 2;
  return spec.maxEnis - 1;
}
