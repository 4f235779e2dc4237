import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { FARGATE_VALID_PAIRS } from "../../src/domain/fargate-sizes.js";
import { call, FARGATE_DEF, ok, useVirtualSim, virtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

async function clientError(body: unknown): Promise<{ type: string; message: string }> {
  const res = await call(sim, "RegisterTaskDefinition", body);
  expect(res.status).toBe(400);
  return { type: res.body.__type, message: res.body.message };
}

/** Prefect's _task_definitions_equal (real-clients.md §1.4), to prove the round trip. */
function prefectEqual(generated: any, retrieved: any): boolean {
  const norm = (td: any) => {
    const x = structuredClone(td);
    x.networkMode ??= "bridge";
    for (const c of x.containerDefinitions ?? []) c.essential ??= true;
    const drop = (v: any): any => {
      if (Array.isArray(v)) return v.map(drop).filter((e) => !isEmpty(e));
      if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, drop(e)]).filter(([, e]) => !isEmpty(e)));
      }
      return v;
    };
    const isEmpty = (v: any) =>
      v === null || v === undefined || v === "" || v === 0 || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);
    const out = drop(x);
    for (const k of ["compatibilities", "taskDefinitionArn", "revision", "status", "requiresAttributes", "registeredAt", "registeredBy", "deregisteredAt"]) delete out[k];
    return out;
  };
  return JSON.stringify(sortDeep(norm(generated))) === JSON.stringify(sortDeep(norm(retrieved)));
}
function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])]));
  return v;
}

const PREFECT_DEF = {
  family: "prefect_my-pool_3f1c0b3e-1d2a-4e8f-9b4e-0c9f5e2a7d11",
  containerDefinitions: [
    {
      image: "prefecthq/prefect:3-python3.12",
      name: "prefect",
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-create-group": "true",
          "awslogs-group": "prefect",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "prefect-logs_my-pool_3f1c0b3e-1d2a-4e8f-9b4e-0c9f5e2a7d11",
        },
      },
    },
  ],
  cpu: "1024",
  memory: "2048",
  executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
};

/**
 * One flow run of Prefect's ECS worker (real-clients.md §1.2): reuse the cached ARN when it is
 * ACTIVE and equal to what it would register, otherwise register. Returns whether it registered.
 */
async function prefectFlowRun(s: RunningSimulator, cache: { arn?: string }): Promise<boolean> {
  if (cache.arn) {
    const described = (await ok(s, "DescribeTaskDefinition", { taskDefinition: cache.arn })).taskDefinition;
    if (described.status === "ACTIVE" && prefectEqual(PREFECT_DEF, described)) return false;
  }
  cache.arn = (await ok(s, "RegisterTaskDefinition", PREFECT_DEF)).taskDefinition.taskDefinitionArn;
  return true;
}

describe("RegisterTaskDefinition", () => {
  it("returns what Prefect registered, plus enableFaultInjection: false as AWS does", async () => {
    const registered = await ok(sim, "RegisterTaskDefinition", PREFECT_DEF);
    const td = registered.taskDefinition;
    expect(td.taskDefinitionArn).toBe(`arn:aws:ecs:us-east-1:000000000000:task-definition/${PREFECT_DEF.family}:1`);
    expect(td.revision).toBe(1);
    expect(td.status).toBe("ACTIVE");
    expect(td.cpu).toBe("1024");
    expect(td.memory).toBe("2048");
    expect(td.volumes).toEqual([]);
    expect(td.compatibilities).toEqual(["EC2", "FARGATE"]);
    expect(td.enableFaultInjection).toBe(false);
    const described = await ok(sim, "DescribeTaskDefinition", { taskDefinition: td.taskDefinitionArn });
    expect(described.taskDefinition.enableFaultInjection).toBe(false);
    // The one field Prefect did not send is the whole difference.
    expect(prefectEqual(PREFECT_DEF, described.taskDefinition)).toBe(false);
    expect(prefectEqual({ ...PREFECT_DEF, enableFaultInjection: false }, described.taskDefinition)).toBe(true);
    const latest = await ok(sim, "DescribeTaskDefinition", { taskDefinition: PREFECT_DEF.family });
    expect(latest.taskDefinition.revision).toBe(1);
  });

  it("a definition registered with enableFaultInjection: true keeps it", async () => {
    const td = (await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, enableFaultInjection: true })).taskDefinition;
    expect(td.enableFaultInjection).toBe(true);
  });

  it("as on AWS, today's Prefect worker registers a new revision on every flow run", async () => {
    const cache = {};
    const registered = [];
    for (let i = 0; i < 3; i++) registered.push(await prefectFlowRun(sim, cache));
    expect(registered).toEqual([true, true, true]);
    const revisions = await ok(sim, "ListTaskDefinitions", { familyPrefix: PREFECT_DEF.family });
    expect(revisions.taskDefinitionArns).toHaveLength(3);
  });

  it("with emitEnableFaultInjection off, the described definition is what was registered and Prefect reuses it", async () => {
    const other = await virtualSim({ emitEnableFaultInjection: false });
    try {
      const cache = {};
      const registered = [];
      for (let i = 0; i < 3; i++) registered.push(await prefectFlowRun(other, cache));
      expect(registered).toEqual([true, false, false]);
      const described = (await ok(other, "DescribeTaskDefinition", { taskDefinition: PREFECT_DEF.family })).taskDefinition;
      expect(described).not.toHaveProperty("enableFaultInjection");
      expect(described.revision).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("refuses a cpu or memory value it cannot read with AWS's documented wording", async () => {
    expect(await clientError({ ...FARGATE_DEF, cpu: "lots" })).toEqual({ type: "ClientException", message: "Invalid 'cpu' setting for task." });
    expect(await clientError({ ...FARGATE_DEF, memory: "lots" })).toEqual({ type: "ClientException", message: "Invalid 'memory' setting for task." });
  });

  it("converts cpu and memory units to integer strings", async () => {
    const td = (await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, cpu: "1 vCPU", memory: "2 GB" })).taskDefinition;
    expect([td.cpu, td.memory]).toEqual(["1024", "2048"]);
    const small = (await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, cpu: "0.25 vcpu", memory: "1GB" })).taskDefinition;
    expect([small.cpu, small.memory]).toEqual(["256", "1024"]);
  });

  it("gives the exact message for an invalid Fargate pair, with the converted numbers", async () => {
    expect(await clientError({ ...FARGATE_DEF, cpu: "512", memory: "8192" })).toEqual({
      type: "ClientException",
      message: "No Fargate configuration exists for given values: 512 CPU, 8192 memory. See the Amazon ECS documentation for the valid values.",
    });
    expect((await clientError({ ...FARGATE_DEF, cpu: "1 vCPU", memory: "1 GB" })).message).toBe(
      "No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.",
    );
  });

  it("accepts exactly the 74 valid Fargate pairs", async () => {
    expect(FARGATE_VALID_PAIRS).toHaveLength(74);
    for (const [cpu, memory] of FARGATE_VALID_PAIRS) {
      await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, cpu: String(cpu), memory: String(memory) });
    }
    for (const [cpu, memory] of [[1024, 2560], [8192, 17408], [16384, 33792], [16384, 131072], [32768, 65536], [256, 4096]]) {
      expect((await clientError({ ...FARGATE_DEF, cpu: String(cpu), memory: String(memory) })).message).toContain(
        "No Fargate configuration exists for given values",
      );
    }
  });

  it("refuses Fargate definitions missing cpu or memory, or without awsvpc (curly quotes)", async () => {
    const { cpu: _c, ...noCpu } = FARGATE_DEF;
    expect(await clientError(noCpu)).toEqual({ type: "ClientException", message: "Fargate requires that 'cpu' be defined at the task level." });
    const { memory: _m, ...noMemory } = FARGATE_DEF;
    expect((await clientError(noMemory)).message).toBe("Fargate requires that 'memory' be defined at the task level.");
    expect((await clientError({ ...FARGATE_DEF, networkMode: "bridge" })).message).toBe("Fargate only supports network mode \u2018awsvpc\u2019.");
    const { networkMode: _n, ...noMode } = FARGATE_DEF;
    expect((await clientError(noMode)).message).toBe("Fargate only supports network mode \u2018awsvpc\u2019.");
  });

  it("refuses Fargate host volumes, placement constraints, pidMode host and out-of-range ephemeral storage", async () => {
    expect((await clientError({ ...FARGATE_DEF, volumes: [{ name: "v", host: { sourcePath: "/data" } }] })).message).toBe(
      "host.sourcePath should not be set for volumes in Fargate.",
    );
    expect((await clientError({ ...FARGATE_DEF, placementConstraints: [{ type: "memberOf", expression: "x" }] })).message).toBe(
      "Fargate does not support task placement constraints.",
    );
    expect((await clientError({ ...FARGATE_DEF, pidMode: "host" })).message).toContain("do not support pidMode 'host'");
    expect((await clientError({ ...FARGATE_DEF, ephemeralStorage: { sizeInGiB: 20 } })).type).toBe("ClientException");
    expect((await clientError({ ...FARGATE_DEF, ephemeralStorage: { sizeInGiB: 201 } })).type).toBe("ClientException");
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, ephemeralStorage: { sizeInGiB: 21 } });
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, ephemeralStorage: { sizeInGiB: 200 } });
  });

  it("validates family, containers, images, memory, tags and size", async () => {
    expect(await clientError({ ...FARGATE_DEF, family: "bad family!" })).toEqual({ type: "ClientException", message: "Family contains invalid characters." });
    expect((await clientError({ ...FARGATE_DEF, family: "" })).message).toBe("Family can not be blank.");
    expect((await clientError({ ...FARGATE_DEF, family: "x".repeat(256) })).message).toBe("Family contains invalid characters.");
    expect((await clientError({ ...FARGATE_DEF, containerDefinitions: [] })).type).toBe("ClientException");
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, image: "busybox" }));
    expect((await clientError({ ...FARGATE_DEF, containerDefinitions: eleven })).type).toBe("ClientException");
    expect((await clientError({ ...FARGATE_DEF, containerDefinitions: [{ name: "a", image: "" }] })).message).toBe(
      "Container.image should not be null or empty.",
    );
    expect(
      (await clientError({ ...FARGATE_DEF, containerDefinitions: [{ name: "a", image: "x" }, { name: "a", image: "y" }] })).type,
    ).toBe("ClientException");
    expect((await clientError({ family: "ec2", containerDefinitions: [{ name: "web", image: "nginx" }] })).message).toBe(
      "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.",
    );
    expect((await clientError({ ...FARGATE_DEF, tags: [] })).message).toBe("Tags can not be empty.");
    const big = { ...FARGATE_DEF, containerDefinitions: [{ name: "a", image: "b", command: ["x".repeat(70 * 1024)] }] };
    expect((await clientError(big)).type).toBe("ClientException");
    expect((await ok(sim, "ListTaskDefinitions")).taskDefinitionArns).toEqual([]);
  });

  it("requires an execution role for awslogs on Fargate and for secrets", async () => {
    const { executionRoleArn: _e, ...noRole } = PREFECT_DEF;
    expect((await clientError(noRole)).message).toBe("Fargate requires task definition to have execution role ARN to support log driver awslogs.");
    const secrets = { ...FARGATE_DEF, containerDefinitions: [{ name: "a", image: "b", secrets: [{ name: "K", valueFrom: "arn:x" }] }] };
    expect((await clientError(secrets)).message).toBe("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'");
  });

  it("treats empty role ARNs as absent, as fabfuel echoes them", async () => {
    const td = (await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, taskRoleArn: "", executionRoleArn: "" })).taskDefinition;
    expect(td).not.toHaveProperty("taskRoleArn");
    expect(td).not.toHaveProperty("executionRoleArn");
  });

  it("fills only harmless container defaults and AWS's port mapping completion", async () => {
    const td = (
      await ok(sim, "RegisterTaskDefinition", {
        ...FARGATE_DEF,
        containerDefinitions: [{ name: "a", image: "b", portMappings: [{ containerPort: 8080 }] }],
      })
    ).taskDefinition;
    expect(td.containerDefinitions[0]).toEqual({
      name: "a",
      image: "b",
      cpu: 0,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      systemControls: [],
    });
  });

});

describe("revisions, lookup, listing, deregistration and deletion", () => {
  it("keeps revisions monotonic across deregistration and deletion", async () => {
    for (let i = 0; i < 3; i++) await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: "web:3" });
    const deleted = await ok(sim, "DeleteTaskDefinitions", { taskDefinitions: ["web:3"] });
    expect(deleted.taskDefinitions[0].status).toBe("DELETE_IN_PROGRESS");
    expect(deleted.failures).toEqual([]);
    const next = await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    expect(next.taskDefinition.revision).toBe(4);
  });

  it("describes by family (latest ACTIVE), family:revision and ARN; INACTIVE only when named", async () => {
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const dereg = await ok(sim, "DeregisterTaskDefinition", { taskDefinition: "web:2" });
    expect(dereg.taskDefinition.status).toBe("INACTIVE");
    expect(typeof dereg.taskDefinition.deregisteredAt).toBe("number");
    expect((await ok(sim, "DescribeTaskDefinition", { taskDefinition: "web" })).taskDefinition.revision).toBe(1);
    expect((await ok(sim, "DescribeTaskDefinition", { taskDefinition: "web:2" })).taskDefinition.status).toBe("INACTIVE");
    const arn = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2";
    expect((await ok(sim, "DescribeTaskDefinition", { taskDefinition: arn })).taskDefinition.taskDefinitionArn).toBe(arn);
    const missing = await call(sim, "DescribeTaskDefinition", { taskDefinition: "nope" });
    expect(missing.body).toEqual({ __type: "ClientException", message: "Unable to describe task definition." });
    const missingRev = await call(sim, "DescribeTaskDefinition", { taskDefinition: "web:9" });
    expect(missingRev.body.message).toBe("Unable to describe task definition.");
  });

  it("returns tags with include TAGS", async () => {
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, tags: [{ key: "team", value: "data" }] });
    expect((await ok(sim, "DescribeTaskDefinition", { taskDefinition: "web", include: ["TAGS"] })).tags).toEqual([{ key: "team", value: "data" }]);
    expect((await ok(sim, "DescribeTaskDefinition", { taskDefinition: "web" })).tags).toEqual([]);
  });

  it("lists definitions by family, status and sort order, with pagination", async () => {
    for (let i = 0; i < 5; i++) await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, family: "api" });
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: "web:1" });
    const page1 = await ok(sim, "ListTaskDefinitions", { familyPrefix: "web", maxResults: 2 });
    expect(page1.taskDefinitionArns.map((a: string) => a.split("/")[1])).toEqual(["web:2", "web:3"]);
    const page2 = await ok(sim, "ListTaskDefinitions", { familyPrefix: "web", maxResults: 2, nextToken: page1.nextToken });
    expect(page2.taskDefinitionArns.map((a: string) => a.split("/")[1])).toEqual(["web:4", "web:5"]);
    expect(page2.nextToken).toBeUndefined();
    const desc = await ok(sim, "ListTaskDefinitions", { sort: "DESC" });
    expect(desc.taskDefinitionArns[0]).toContain("web:5");
    const inactive = await ok(sim, "ListTaskDefinitions", { status: "INACTIVE" });
    expect(inactive.taskDefinitionArns).toEqual(["arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"]);
    const bad = await call(sim, "ListTaskDefinitions", { nextToken: "garbage" });
    expect(bad.status).toBe(400);
  });

  it("lists families by prefix and status", async () => {
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, family: "worker" });
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: "worker:1" });
    expect((await ok(sim, "ListTaskDefinitionFamilies")).families).toEqual(["web", "worker"]);
    expect((await ok(sim, "ListTaskDefinitionFamilies", { status: "ACTIVE" })).families).toEqual(["web"]);
    expect((await ok(sim, "ListTaskDefinitionFamilies", { status: "INACTIVE" })).families).toEqual(["worker"]);
    expect((await ok(sim, "ListTaskDefinitionFamilies", { familyPrefix: "wo" })).families).toEqual(["worker"]);
  });

  it("deregisters only with a revision and deletes at most 10, INACTIVE only", async () => {
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    expect((await call(sim, "DeregisterTaskDefinition", { taskDefinition: "web" })).body.__type).toBe("ClientException");
    const many = await call(sim, "DeleteTaskDefinitions", { taskDefinitions: Array.from({ length: 11 }, (_, i) => `web:${i + 1}`) });
    expect(many.body).toEqual({ __type: "InvalidParameterException", message: "Size of TaskDefinition references list cannot exceed 10" });
    const none = await call(sim, "DeleteTaskDefinitions", { taskDefinitions: [] });
    expect(none.body).toEqual({ __type: "InvalidParameterException", message: "size of TaskDefinition references list must be greater than 0" });
  });

  it("DeleteTaskDefinitions failures name the reference as given and say why in AWS's words", async () => {
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: "web:2" });
    const arn2 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2";
    const res = await ok(sim, "DeleteTaskDefinitions", { taskDefinitions: ["web:1", "web", "web:9", "nope:1", arn2] });
    expect(res.failures).toEqual([
      { arn: "web:1", reason: "The specified task definition is still in ACTIVE status. Please deregister the target and try again." },
      { arn: "web", reason: "The specified task definition identifier is invalid. Specify a valid name or ARN and try again." },
      { arn: "web:9", reason: "The specified task definition does not exist. Specify a valid account, family, revision and try again." },
      { arn: "nope:1", reason: "The specified task definition does not exist. Specify a valid account, family, revision and try again." },
    ]);
    expect(res.taskDefinitions.map((t: any) => [t.taskDefinitionArn, t.status])).toEqual([[arn2, "DELETE_IN_PROGRESS"]]);
  });
});
