/**
 * Shared pieces of the Docker runtime tests: engine detection (skip loudly, or fail under
 * ECS_SIM_REQUIRE_DOCKER=1), hand-built task specs, and an event recorder whose waits are
 * promises on the runtime's own events, never sleeps.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RuntimeContainerSpec, RuntimeEvent, RuntimeTaskSpec } from "../../src/runtime/types.js";
import { dockerAvailable } from "../../src/runtime/docker/index.js";
import type Docker from "dockerode";

export const TEST_IMAGE = "ecs-sim-test/busybox:latest";
export const requireDocker = process.env["ECS_SIM_REQUIRE_DOCKER"] === "1";

export async function detectDocker(): Promise<boolean> {
  const available = await dockerAvailable(3000);
  if (!available && !requireDocker) {
    console.warn(
      "Docker tests skipped: no Docker engine answers (DOCKER_HOST or /var/run/docker.sock). " +
        "Run `bash scripts/ensure-docker.sh`, or set ECS_SIM_REQUIRE_DOCKER=1 to make this a failure.",
    );
  }
  return available;
}

/** Builds the busybox test image when it is missing (no registry needed). */
export async function ensureTestImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(TEST_IMAGE).inspect();
  } catch {
    const script = fileURLToPath(new URL("../../scripts/build-test-images.sh", import.meta.url));
    execFileSync("bash", [script], { stdio: "inherit" });
  }
}

let counter = 0;

export function taskSpec(containers: Partial<RuntimeContainerSpec>[], extra: Partial<RuntimeTaskSpec> = {}): RuntimeTaskSpec {
  counter++;
  const taskId = `${process.pid.toString(16).padStart(8, "0")}${counter.toString(16).padStart(8, "0")}`.padEnd(32, "a");
  const account = "000000000000";
  const region = "us-east-1";
  const clusterArn = `arn:aws:ecs:${region}:${account}:cluster/docker-test`;
  return {
    account,
    region,
    clusterName: "docker-test",
    clusterArn,
    taskArn: `arn:aws:ecs:${region}:${account}:task/docker-test/${taskId}`,
    taskId,
    family: "dtest",
    revision: 1,
    taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/dtest:1`,
    launchType: "FARGATE",
    networkMode: "awsvpc",
    cpu: 256,
    memory: 512,
    availabilityZone: "us-east-1a",
    privateIp: "10.0.0.99",
    volumes: [],
    tags: [{ key: "suite", value: "docker" }],
    containers: containers.map((c, i) => ({
      name: c.name ?? `c${i}`,
      image: TEST_IMAGE,
      essential: true,
      environment: [],
      cpu: 0,
      portMappings: [],
      dependsOn: [],
      stopTimeout: 2,
      ...c,
    })),
    ...extra,
  };
}

export class EventRecorder {
  readonly events: RuntimeEvent[] = [];
  private waiters: { pred: (e: RuntimeEvent) => boolean; resolve: (e: RuntimeEvent) => void }[] = [];

  readonly listener = (e: RuntimeEvent): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(e)) return true;
      w.resolve(e);
      return false;
    });
  };

  /** Resolves with the first matching event, past or future. */
  waitFor(pred: (e: RuntimeEvent) => boolean): Promise<RuntimeEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  exited(taskArn: string, name: string): Promise<Extract<RuntimeEvent, { type: "container-exited" }>> {
    return this.waitFor((e) => e.type === "container-exited" && e.taskArn === taskArn && e.name === name) as Promise<
      Extract<RuntimeEvent, { type: "container-exited" }>
    >;
  }

  indexOf(pred: (e: RuntimeEvent) => boolean): number {
    return this.events.findIndex(pred);
  }
}
