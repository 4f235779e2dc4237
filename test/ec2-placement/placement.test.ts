import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { InvalidParameterException } from "../../src/errors/aws-errors.js";
import { Ec2Messages } from "../../src/errors/ec2-messages.js";
import {
  DEFAULT_SERVICE_STRATEGY,
  hasNoContainerInstances,
  placeTasks,
  type CandidateInstance,
  type PlacementRequest,
} from "../../src/scheduler/ec2-placement/index.js";
import { idOf, instance, noRandom, sequence, task } from "./fixtures.js";

const AZ_SPREAD = { type: "spread", field: "attribute:ecs.availability-zone" } as const;
const place = (instances: CandidateInstance[], request: Partial<PlacementRequest>) =>
  placeTasks(instances, { requirements: task(), count: 1, random: noRandom, ...request });
const chosen = (instances: CandidateInstance[], request: Partial<PlacementRequest>) =>
  place(instances, request).placements.map((p) => idOf(p.instanceArn));

describe("placement strategies (the developer guide's examples)", () => {
  const threeAzs = () => [instance("a", { az: "us-east-1a" }), instance("b", { az: "us-east-1b" }), instance("c", { az: "us-east-1c" })];

  it("spread across Availability Zones: the service default, evenly", () => {
    expect(DEFAULT_SERVICE_STRATEGY).toEqual([AZ_SPREAD, { type: "spread", field: "instanceId" }]);
    expect(chosen(threeAzs(), { count: 6, strategies: DEFAULT_SERVICE_STRATEGY })).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("the service default spreads across zones, then across the instances of a zone", () => {
    const instances = [
      instance("a1", { az: "us-east-1a" }),
      instance("a2", { az: "us-east-1a" }),
      instance("b1", { az: "us-east-1b" }),
    ];
    expect(chosen(instances, { count: 4, strategies: DEFAULT_SERVICE_STRATEGY })).toEqual(["a1", "b1", "a2", "b1"]);
  });

  it("spread counts the group's tasks already running in each zone", () => {
    const instances = [
      instance("a", { az: "us-east-1a", groups: ["service:web", "service:web"] }),
      instance("b", { az: "us-east-1b", groups: ["service:web", "service:other", "service:other"] }),
      instance("c", { az: "us-east-1c" }),
    ];
    expect(chosen(instances, { count: 3, strategies: [AZ_SPREAD] })).toEqual(["c", "b", "c"]);
  });

  it("spread across instances (instanceId, or host with the same effect)", () => {
    const instances = [instance("a", { groups: ["service:web"] }), instance("b"), instance("c")];
    expect(chosen(instances, { count: 4, strategies: [{ type: "spread", field: "instanceId" }] })).toEqual(["b", "c", "a", "b"]);
    expect(chosen(instances, { count: 4, strategies: [{ type: "spread", field: "host" }] })).toEqual(["b", "c", "a", "b"]);
  });

  it("spread across zones, then across the instances within each zone", () => {
    const instances = [instance("a1", { az: "us-east-1a" }), instance("a2", { az: "us-east-1a" }), instance("b1", { az: "us-east-1b" })];
    const strategies = [AZ_SPREAD, { type: "spread", field: "instanceId" }] as const;
    expect(chosen(instances, { count: 4, strategies: [...strategies] })).toEqual(["a1", "b1", "a2", "b1"]);
  });

  it("spread across zones, then bin pack on memory within each zone", () => {
    const instances = [
      instance("a1", { az: "us-east-1a" }),
      instance("a2", { az: "us-east-1a", used: { memory: 4096 } }),
      instance("b1", { az: "us-east-1b" }),
      instance("b2", { az: "us-east-1b", used: { memory: 1024 } }),
    ];
    const strategies = [AZ_SPREAD, { type: "binpack", field: "memory" }] as const;
    expect(chosen(instances, { count: 4, strategies: [...strategies] })).toEqual(["a2", "b2", "a2", "b2"]);
  });

  it("bin pack on memory fills the fullest instance before the next", () => {
    const instances = [instance("a"), instance("b", { used: { memory: 2048 } })];
    const req = task({ memory: 2000 });
    // b has 5937 MiB: two tasks fit there, then a.
    expect(chosen(instances, { count: 4, requirements: req, strategies: [{ type: "binpack", field: "memory" }] })).toEqual([
      "b",
      "b",
      "a",
      "a",
    ]);
  });

  it("bin pack on cpu", () => {
    const instances = [instance("a"), instance("b", { used: { cpu: 512 } })];
    const req = task({ cpu: 512, memory: 128 });
    expect(chosen(instances, { count: 5, requirements: req, strategies: [{ type: "binpack", field: "cpu" }] })).toEqual([
      "b",
      "b",
      "b",
      "a",
      "a",
    ]);
  });

  it("random draws from the given source, one number per eligible instance", () => {
    const instances = [instance("a"), instance("b"), instance("c")];
    expect(chosen(instances, { count: 2, strategies: [{ type: "random" }], random: sequence([0.9, 0.1, 0.5, 0.2, 0.8, 0.7]) })).toEqual([
      "b",
      "a",
    ]);
  });

  it("random with the seeded source replays by seed", () => {
    const run = (seed: number) => {
      const rng = new SeededRandom(seed);
      const instances = ["a", "b", "c", "d", "e"].map((id) => instance(id));
      return chosen(instances, { count: 8, strategies: [{ type: "random" }], random: () => rng.float() });
    };
    expect(run(7)).toEqual(run(7));
    expect(new Set([run(1), run(2), run(3), run(4)].map((r) => r.join())).size).toBeGreaterThan(1);
  });

  it("without a strategy the first instance that fits, in snapshot order", () => {
    const instances = [instance("a", { used: { memory: 7900 } }), instance("b"), instance("c")];
    expect(chosen(instances, { count: 2 })).toEqual(["b", "b"]);
  });

  it("a random rule after spread only breaks the spread's ties", () => {
    const instances = [instance("a1", { az: "us-east-1a" }), instance("a2", { az: "us-east-1a" }), instance("b1", { az: "us-east-1b" })];
    const result = chosen(instances, { count: 2, strategies: [AZ_SPREAD, { type: "random" }], random: sequence([0.5, 0.1, 0.9, 0.3, 0.2]) });
    // First task: a2 drew the lowest; second: zone b is the only one with fewer tasks.
    expect(result).toEqual(["a2", "b1"]);
  });
});

describe("constraints", () => {
  it("distinctInstance puts each task of the group on its own instance", () => {
    const instances = [instance("a"), instance("b", { groups: ["service:web"] }), instance("c")];
    const result = place(instances, { count: 3, constraints: [{ type: "distinctInstance" }] });
    expect(result.placements.map((p) => idOf(p.instanceArn))).toEqual(["a", "c"]);
    expect(result.unplaced).toBe(1);
    expect(result.failures.map((f) => [idOf(f.arn), f.reason])).toEqual([
      ["a", "DistinctInstance placement constraint unsatisfied."],
      ["b", "DistinctInstance placement constraint unsatisfied."],
      ["c", "DistinctInstance placement constraint unsatisfied."],
    ]);
  });

  it("memberOf restricts to instances matching the expression", () => {
    const instances = [instance("m"), instance("t", { type: "t3.large" }), instance("g", { type: "m7g.large" })];
    const constraints = [{ type: "memberOf", expression: "attribute:ecs.instance-type =~ t3.*" }] as const;
    expect(chosen(instances, { count: 2, constraints: [...constraints] })).toEqual(["t", "t"]);
    const arm = [{ type: "memberOf", expression: "attribute:ecs.cpu-architecture == arm64" }] as const;
    expect(chosen(instances, { count: 1, constraints: [...arm] })).toEqual(["g"]);
  });

  it("memberOf with task:group sees the tasks placed earlier in the same call", () => {
    const instances = [instance("a"), instance("b", { groups: ["databases"] })];
    const affinity = [{ type: "memberOf", expression: "task:group == databases" }] as const;
    expect(chosen(instances, { count: 2, constraints: [...affinity], requirements: task({ group: "databases" }) })).toEqual(["b", "b"]);
    const anti = [{ type: "memberOf", expression: "not(task:group == service:web)" }] as const;
    const result = place([instance("a"), instance("b")], { count: 3, constraints: [...anti] });
    expect(result.placements.map((p) => idOf(p.instanceArn))).toEqual(["a", "b"]);
    expect(result.failures.map((f) => f.reason)).toEqual(["MemberOf placement constraint unsatisfied.", "MemberOf placement constraint unsatisfied."]);
  });
});

describe("resource fit and AWS's failure reasons", () => {
  const reasons = (instances: CandidateInstance[], request: Partial<PlacementRequest>) =>
    place(instances, request).failures.map((f) => [idOf(f.arn), f.reason]);

  it("CPU, memory, agent, attribute, inactive", () => {
    expect(reasons([instance("a")], { requirements: task({ cpu: 4096 }) })).toEqual([["a", "RESOURCE:CPU"]]);
    expect(reasons([instance("a")], { requirements: task({ memory: 8192 }) })).toEqual([["a", "RESOURCE:MEMORY"]]);
    expect(reasons([instance("a", { agentConnected: false })], {})).toEqual([["a", "AGENT"]]);
    expect(reasons([instance("a")], { requirements: task({ requiredAttributes: [{ name: "ecs.capability.efs" }] }) })).toEqual([
      ["a", "ATTRIBUTE"],
    ]);
    expect(reasons([instance("a")], { requirements: task({ requiredAttributes: [{ name: "ecs.capability.task-eni" }] }) })).toEqual([]);
    expect(reasons([instance("a", { attributes: { stack: "dev" } })], { requirements: task({ requiredAttributes: [{ name: "stack", value: "prod" }] }) })).toEqual([
      ["a", "ATTRIBUTE"],
    ]);
    expect(reasons([instance("a", { status: "INACTIVE" })], {})).toEqual([["a", "INACTIVE"]]);
  });

  it("the whole registered memory fits, one MiB more does not", () => {
    expect(place([instance("a")], { requirements: task({ memory: 7985 }) }).unplaced).toBe(0);
    expect(place([instance("a")], { requirements: task({ memory: 7986 }) }).unplaced).toBe(1);
  });

  it("DRAINING instances take nothing and are not listed", () => {
    const result = place([instance("a", { status: "DRAINING" }), instance("b", { used: { memory: 7900 } })], {});
    expect(result.failures.map((f) => [idOf(f.arn), f.reason])).toEqual([["b", "RESOURCE:MEMORY"]]);
    expect(hasNoContainerInstances([instance("a", { status: "DRAINING" })])).toBe(true);
    expect(hasNoContainerInstances([])).toBe(true);
    expect(hasNoContainerInstances([instance("a")])).toBe(false);
  });

  it("a fixed host port serves one task per instance; the agent's reserved ports are taken", () => {
    const web = task({ hostPorts: [{ port: 80, protocol: "tcp" }] });
    const result = place([instance("a"), instance("b")], { count: 3, requirements: web });
    expect(result.placements.map((p) => [idOf(p.instanceArn), p.hostPorts])).toEqual([
      ["a", [{ port: 80, protocol: "tcp" }]],
      ["b", [{ port: 80, protocol: "tcp" }]],
    ]);
    expect(result.failures.map((f) => f.reason)).toEqual(["RESOURCE:PORTS", "RESOURCE:PORTS"]);
    expect(reasons([instance("a")], { requirements: task({ hostPorts: [{ port: 22, protocol: "tcp" }] }) })).toEqual([["a", "RESOURCE:PORTS"]]);
    expect(reasons([instance("a")], { requirements: task({ hostPorts: [{ port: 22, protocol: "udp" }] }) })).toEqual([]);
    const dns = task({ hostPorts: [{ port: 53, protocol: "udp" }] });
    expect(place([instance("a")], { count: 2, requirements: dns }).failures.map((f) => f.reason)).toEqual(["RESOURCE:PORTS_UDP"]);
  });

  it("dynamic host ports come from the ephemeral range, lowest free first", () => {
    const bridge = task({ dynamicPorts: ["tcp", "tcp"] });
    const result = place([instance("a")], { count: 2, requirements: bridge });
    expect(result.placements.map((p) => p.hostPorts.map((h) => h.port))).toEqual([
      [49153, 49154],
      [49155, 49156],
    ]);
    const narrow = { ...instance("b"), dynamicPortRange: { first: 50000, last: 50002 } };
    const tight = place([narrow], { count: 2, requirements: bridge });
    expect(tight.placements).toHaveLength(1);
    expect(tight.failures.map((f) => f.reason)).toEqual(["RESOURCE:PORTS"]);
  });

  it("awsvpc takes one interface per task: two on a c5.large, ten with trunking", () => {
    const vpc = task({ awsvpc: true, memory: 128, cpu: 64 });
    const plain = place([instance("a", { type: "c5.large" })], { count: 3, requirements: vpc });
    expect(plain.placements).toHaveLength(2);
    expect(plain.failures.map((f) => f.reason)).toEqual(["RESOURCE:ENI"]);
    expect(place([instance("a", { type: "c5.large", trunking: true })], { count: 11, requirements: vpc }).unplaced).toBe(1);
  });

  it("GPUs are assigned by id and run out", () => {
    const gpuTask = task({ gpus: 1, memory: 1024 });
    const result = place([instance("g", { type: "g4dn.12xlarge" })], { count: 5, requirements: gpuTask });
    expect(result.placements.map((p) => p.gpuIds)).toEqual([["GPU-g-0"], ["GPU-g-1"], ["GPU-g-2"], ["GPU-g-3"]]);
    expect(result.failures.map((f) => f.reason)).toEqual(["RESOURCE:GPU"]);
    expect(reasons([instance("m")], { requirements: gpuTask })).toEqual([["m", "RESOURCE:GPU"]]);
  });

  it("the closest matching instance is the one that got furthest through the checks", () => {
    const instances = [instance("small", { type: "t3.micro" }), instance("big", { used: { memory: 7000 } }), instance("off", { agentConnected: false })];
    const result = place(instances, { requirements: task({ cpu: 1024, memory: 2048 }) });
    expect(result.failures.map((f) => [idOf(f.arn), f.reason])).toEqual([
      ["small", "RESOURCE:MEMORY"],
      ["big", "RESOURCE:MEMORY"],
      ["off", "AGENT"],
    ]);
    expect(idOf(result.closest!.arn)).toBe("small");
    const cpuFirst = place([instance("c", { used: { cpu: 2048 } }), instance("m", { used: { memory: 7985 } })], {});
    expect([idOf(cpuFirst.closest!.arn), cpuFirst.closest!.reason]).toEqual(["m", "RESOURCE:MEMORY"]);
    expect(Ec2Messages.svcUnableToPlaceClosest("web", idOf(cpuFirst.closest!.arn), cpuFirst.closest!.reason)).toBe(
      "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance m) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    );
  });
});

describe("placing a count of tasks", () => {
  it("each task sees what the ones before took; the rest are reported once", () => {
    const instances = [instance("a"), instance("b")];
    const result = place(instances, { count: 5, requirements: task({ cpu: 1024, memory: 1024 }), strategies: [{ type: "spread", field: "instanceId" }] });
    expect(result.placements.map((p) => idOf(p.instanceArn))).toEqual(["a", "b", "a", "b"]);
    expect(result.unplaced).toBe(1);
    expect(result.failures.map((f) => [idOf(f.arn), f.reason])).toEqual([
      ["a", "RESOURCE:CPU"],
      ["b", "RESOURCE:CPU"],
    ]);
    expect(result.instances.map((i) => [i.remaining.cpu, i.remaining.memory, i.tasks.length])).toEqual([
      [0, 7985 - 2048, 2],
      [0, 7985 - 2048, 2],
    ]);
  });

  it("leaves the snapshot it was given untouched", () => {
    const instances = [instance("a")];
    const before = JSON.stringify(instances);
    place(instances, { count: 3, requirements: task({ dynamicPorts: ["tcp"], hostPorts: [{ port: 8080, protocol: "tcp" }] }) });
    expect(JSON.stringify(instances)).toBe(before);
  });
});

describe("validation of strategies and constraints", () => {
  const rejects = (request: Partial<PlacementRequest>, message: string) => {
    let error: unknown;
    try {
      place([instance("a")], request);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toBe(message);
  };

  it("at most 5 strategies and 10 constraints", () => {
    const five = Array.from({ length: 5 }, () => ({ type: "binpack" as const, field: "memory" }));
    expect(() => place([instance("a")], { strategies: five })).not.toThrow();
    rejects({ strategies: [...five, { type: "random" }] }, Ec2Messages.tooManyStrategies);
    const ten = Array.from({ length: 10 }, () => ({ type: "memberOf" as const, expression: "attribute:ecs.os-type exists" }));
    rejects({ constraints: [...ten, { type: "distinctInstance" }] }, Ec2Messages.tooManyConstraints);
  });

  it("AWS's distinctInstance message, even for an empty expression", () => {
    rejects({ constraints: [{ type: "distinctInstance", expression: "" }] }, "distinctInstance expression should not be specified.");
  });

  it("bad strategy fields and types, memberOf without expression, overlong and malformed expressions", () => {
    rejects({ strategies: [{ type: "binpack", field: "disk" }] }, Ec2Messages.binpackField("disk"));
    rejects({ strategies: [{ type: "spread" }] }, Ec2Messages.spreadFieldRequired);
    rejects({ strategies: [{ type: "spread", field: "zone" }] }, Ec2Messages.spreadField("zone"));
    rejects({ strategies: [{ type: "scatter" as never }] }, Ec2Messages.unknownStrategyType("scatter"));
    rejects({ constraints: [{ type: "memberOf" }] }, Ec2Messages.memberOfWithoutExpression);
    rejects({ constraints: [{ type: "sameHost" as never }] }, Ec2Messages.unknownConstraintType("sameHost"));
    rejects({ constraints: [{ type: "memberOf", expression: `attribute:a == ${"x".repeat(2000)}` }] }, Ec2Messages.expressionTooLong);
    rejects({ constraints: [{ type: "memberOf", expression: "attribute:a ==" }] }, Ec2Messages.invalidExpression("attribute:a ==", "argument missing at end of expression"));
  });

  it("field names are case-insensitive", () => {
    expect(chosen([instance("a")], { strategies: [{ type: "binpack", field: "MEMORY" }, { type: "spread", field: "InstanceId" }] })).toEqual(["a"]);
  });
});

describe("reserved host ports", () => {
  it("at most 100 reserved host ports per instance; dynamic ports do not count", () => {
    // The agent's 5 reserved ports plus 95 fixed ones make 100.
    const busy = { ...instance("a"), remaining: { ...instance("a").remaining, ports: [22, 2375, 2376, 51678, 51679, ...Array.from({ length: 95 }, (_, i) => 10000 + i)] } };
    const fixed = task({ hostPorts: [{ port: 8080, protocol: "tcp" }] });
    expect(place([busy], { requirements: fixed }).failures.map((f) => f.reason)).toEqual(["RESOURCE:PORTS"]);
    expect(place([busy], { requirements: task({ dynamicPorts: ["tcp"] }) }).unplaced).toBe(0);
    // Ports the instance's bridge tasks took from the dynamic range leave room for fixed ones.
    const someDynamic = { ...busy, remaining: { ...busy.remaining, dynamicPorts: [10000, 10001] } };
    expect(place([someDynamic], { requirements: fixed }).unplaced).toBe(0);
    const filled = place([instance("b")], { count: 120, requirements: task({ cpu: 1, memory: 1, dynamicPorts: ["tcp"] }) });
    expect(filled.unplaced).toBe(0);
    expect(place(filled.instances, { requirements: fixed }).unplaced).toBe(0);
    const room = { ...busy, remaining: { ...busy.remaining, ports: busy.remaining.ports.slice(0, 99) } };
    expect(place([room], { requirements: fixed }).unplaced).toBe(0);
  });
});

describe("subnet zones and query filters", () => {
  it("an awsvpc task only goes to instances in its subnets' zones (LOCATION otherwise)", () => {
    const instances = [instance("a", { az: "us-east-1a" }), instance("b", { az: "us-east-1b" })];
    const req = task({ awsvpc: true, availabilityZones: ["us-east-1b"] });
    const result = place(instances, { count: 3, requirements: req });
    expect(result.placements.map((p) => idOf(p.instanceArn))).toEqual(["b", "b"]);
    expect(result.failures.map((f) => [idOf(f.arn), f.reason])).toEqual([
      ["a", "LOCATION"],
      ["b", "RESOURCE:ENI"],
    ]);
  });
});
