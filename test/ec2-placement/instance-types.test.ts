import { describe, expect, it } from "vitest";
import {
  builtInAttributes,
  DEFAULT_RESERVED_PORTS,
  registeredResources,
} from "../../src/domain/container-instances/registration.js";
import {
  awsvpcTaskLimit,
  INSTANCE_TYPES,
  instanceTypeSpec,
  kernelMemTotalMiB,
  registeredCpu,
  registeredMemory,
} from "../../src/domain/instance-types.js";

const spec = (name: string) => {
  const s = instanceTypeSpec(name);
  if (!s) throw new Error(`no ${name}`);
  return s;
};

describe("instance type table", () => {
  it("covers the common sizes of every family the simulator offers", () => {
    const families = new Set([...INSTANCE_TYPES.values()].map((s) => s.family));
    expect([...families].sort()).toEqual(["c5", "c6g", "g4dn", "m5", "m6i", "m7g", "r5", "t3"]);
    for (const name of ["t3.micro", "t3.medium", "m5.large", "m5.xlarge", "m6i.2xlarge", "m7g.large", "c5.large", "c6g.xlarge", "r5.large", "g4dn.xlarge"]) {
      expect(INSTANCE_TYPES.has(name), name).toBe(true);
    }
    expect(instanceTypeSpec("x9.huge")).toBeUndefined();
  });

  it("Graviton families are arm64, the others x86_64; g4dn has GPUs", () => {
    expect(spec("m7g.large").architecture).toBe("arm64");
    expect(spec("c6g.large").architecture).toBe("arm64");
    expect(spec("m5.large").architecture).toBe("x86_64");
    expect(spec("g4dn.xlarge").gpus).toBe(1);
    expect(spec("g4dn.12xlarge").gpus).toBe(4);
    expect(spec("m5.large").gpus).toBe(0);
  });

  it("registers 1024 CPU units per vCPU", () => {
    expect(registeredCpu(spec("m5.large"))).toBe(2048);
    expect(registeredCpu(spec("c5.9xlarge"))).toBe(36 * 1024);
    expect(registeredCpu(spec("m7g.medium"))).toBe(1024);
  });

  it("registers MemTotal below nominal: the published data points, and ECS_RESERVED_MEMORY on top", () => {
    expect(kernelMemTotalMiB(8192)).toBe(7985); // m4.large, memory-management page
    expect(kernelMemTotalMiB(1024)).toBe(983); // t2.micro, observed
    expect(registeredMemory(spec("m5.large"))).toBe(7985);
    expect(registeredMemory(spec("m5.large"), 256)).toBe(7729);
    for (const s of INSTANCE_TYPES.values()) {
      const registered = registeredMemory(s);
      expect(registered, s.name).toBeLessThan(s.memoryMiB);
      expect(registered, s.name).toBeGreaterThan(s.memoryMiB * 0.94);
    }
  });

  it("ENI limits follow ECS's awsvpc task table (+1 for the primary, +2 with the trunk)", () => {
    expect(spec("c5.large").maxEnis).toBe(3);
    expect(awsvpcTaskLimit(spec("c5.large"), false)).toBe(2);
    expect(spec("c5.large").maxTrunkEnis).toBe(12);
    expect(awsvpcTaskLimit(spec("c5.large"), true)).toBe(10);
    expect(awsvpcTaskLimit(spec("m6i.8xlarge"), true)).toBe(90);
    // No trunking for t3, g4dn and r5.8xlarge: the trunk setting changes nothing.
    expect(spec("t3.medium").maxTrunkEnis).toBeUndefined();
    expect(awsvpcTaskLimit(spec("t3.medium"), true)).toBe(2);
    expect(awsvpcTaskLimit(spec("r5.8xlarge"), true)).toBe(7);
    expect(awsvpcTaskLimit(spec("g4dn.xlarge"), true)).toBe(2);
  });
});

describe("registration", () => {
  it("registeredResources have AWS's shape: CPU, MEMORY, PORTS with the agent's reserved ports, PORTS_UDP", () => {
    expect(registeredResources(spec("m5.large"))).toEqual([
      { name: "CPU", type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: 2048 },
      { name: "MEMORY", type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: 7985 },
      { name: "PORTS", type: "STRINGSET", doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: ["22", "2375", "2376", "51678", "51679"] },
      { name: "PORTS_UDP", type: "STRINGSET", doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: [] },
    ]);
    expect(DEFAULT_RESERVED_PORTS).toEqual([22, 2375, 2376, 51678, 51679]);
    const gpu = registeredResources(spec("g4dn.12xlarge"), { gpuIds: ["a", "b", "c", "d"] });
    expect(gpu.find((r) => r.name === "GPU")?.stringSetValue).toEqual(["a", "b", "c", "d"]);
  });

  const identity = { availabilityZone: "us-east-1a", amiId: "ami-1234abcd", vpcId: "vpc-1234abcd", subnetId: "subnet-1234abcd" };

  it("built-in attributes name the type, zone, OS, architecture, AMI, VPC and subnet", () => {
    const attrs = new Map(builtInAttributes(spec("m7g.large"), identity).map((a) => [a.name, a.value]));
    expect(attrs.get("ecs.instance-type")).toBe("m7g.large");
    expect(attrs.get("ecs.availability-zone")).toBe("us-east-1a");
    expect(attrs.get("ecs.os-type")).toBe("linux");
    expect(attrs.get("ecs.os-family")).toBe("LINUX");
    expect(attrs.get("ecs.cpu-architecture")).toBe("arm64");
    expect(attrs.get("ecs.ami-id")).toBe("ami-1234abcd");
    expect(attrs.get("ecs.vpc-id")).toBe("vpc-1234abcd");
    expect(attrs.get("ecs.subnet-id")).toBe("subnet-1234abcd");
    expect(attrs.has("com.amazonaws.ecs.capability.docker-remote-api.1.44")).toBe(true);
    expect(attrs.has("ecs.capability.task-eni")).toBe(true);
    expect(attrs.has("ecs.capability.task-eni-trunking")).toBe(false);
    const trunked = new Map(builtInAttributes(spec("c5.large"), { ...identity, awsvpcTrunkId: "eni-1" }).map((a) => [a.name, a.value]));
    expect(trunked.get("ecs.awsvpc-trunk-id")).toBe("eni-1");
    expect(trunked.has("ecs.capability.task-eni-trunking")).toBe(true);
  });

  it("a simulated instance has every attribute the simulator's task definitions can require", () => {
    const attrs = new Set(builtInAttributes(spec("m5.large"), identity).map((a) => a.name));
    // Everything RegisterTaskDefinition puts in requiresAttributes today.
    const required = [
      "com.amazonaws.ecs.capability.docker-remote-api.1.18",
      "com.amazonaws.ecs.capability.docker-remote-api.1.19",
      "com.amazonaws.ecs.capability.logging-driver.awslogs",
      "com.amazonaws.ecs.capability.task-iam-role",
      "ecs.capability.task-eni",
      "ecs.capability.execution-role-awslogs",
      "ecs.capability.secrets.asm.environment-variables",
      "ecs.capability.container-health-check",
      "ecs.capability.container-ordering",
    ];
    for (const name of required) expect(attrs.has(name), name).toBe(true);
  });
});
