import { describe, expect, it } from "vitest";
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { taskRequirements } from "../../src/scheduler/ec2-placement/index.js";

const def = (over: Partial<TaskDefinition>): TaskDefinition => ({
  family: "app",
  containerDefinitions: [{ name: "app", image: "busybox", memory: 256 }],
  ...over,
});

describe("task requirements from a task definition", () => {
  it("task-level cpu and memory win over the containers", () => {
    const r = taskRequirements(def({ cpu: "1024", memory: "2048" }));
    expect([r.cpu, r.memory]).toEqual([1024, 2048]);
  });

  it("without task-level sizes: the sum over containers, the soft limit reserved when there is one", () => {
    const r = taskRequirements(
      def({
        containerDefinitions: [
          { name: "a", image: "x", cpu: 256, memory: 512 },
          { name: "b", image: "x", cpu: 128, memoryReservation: 128 },
          { name: "c", image: "x", memory: 1024, memoryReservation: 300 },
        ],
      }),
    );
    expect([r.cpu, r.memory]).toEqual([384, 512 + 128 + 300]);
  });

  it("overrides apply, task-level and per container", () => {
    const d = def({ containerDefinitions: [{ name: "a", image: "x", cpu: 256, memory: 512 }] });
    expect(taskRequirements(d, { containerOverrides: [{ name: "a", memory: 1024 }] }).memory).toBe(1024);
    expect(taskRequirements(d, { cpu: "2048", memory: "4096" })).toMatchObject({ cpu: 2048, memory: 4096 });
  });

  it("bridge: a hostPort is fixed, 0 or none is dynamic; host: the container port is the host port", () => {
    const mappings = [
      { containerPort: 80, hostPort: 8080 },
      { containerPort: 81, hostPort: 0 },
      { containerPort: 53, protocol: "udp" as const },
    ];
    const bridge = taskRequirements(def({ containerDefinitions: [{ name: "a", image: "x", memory: 64, portMappings: mappings }] }));
    expect(bridge.hostPorts).toEqual([{ port: 8080, protocol: "tcp" }]);
    expect(bridge.dynamicPorts).toEqual(["tcp", "udp"]);
    const host = taskRequirements(
      def({ networkMode: "host", containerDefinitions: [{ name: "a", image: "x", memory: 64, portMappings: [{ containerPort: 80 }] }] }),
    );
    expect(host.hostPorts).toEqual([{ port: 80, protocol: "tcp" }]);
    expect(host.dynamicPorts).toEqual([]);
  });

  it("awsvpc needs an interface and no host ports; GPUs and required attributes carry over", () => {
    const r = taskRequirements(
      def({
        networkMode: "awsvpc",
        requiresAttributes: [{ name: "ecs.capability.task-eni" }, { name: "stack", value: "prod" }],
        containerDefinitions: [
          { name: "a", image: "x", memory: 64, portMappings: [{ containerPort: 80 }], resourceRequirements: [{ type: "GPU", value: "2" }] },
        ],
      }),
      {},
      "service:web",
    );
    expect(r).toMatchObject({ awsvpc: true, hostPorts: [], dynamicPorts: [], gpus: 2, group: "service:web" });
    expect(r.requiredAttributes).toEqual([{ name: "ecs.capability.task-eni", value: undefined }, { name: "stack", value: "prod" }]);
  });
});
