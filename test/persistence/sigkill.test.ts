import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ECSClient,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { CLI, startCli, type CliProcess } from "../helpers/cli-process.js";
import { ecsClient } from "../helpers/sim.js";

/**
 * kill -9 in the middle of a load of mutating calls, then a restart on the same state dir: every
 * request that was answered is there afterwards, exactly as answered (the journal is fsync'd
 * before a response goes out); only requests still unanswered may be lost.
 */
const children: CliProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
});

const NET = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };

interface Acked {
  clusters: string[];
  definitions: TaskDefinition[];
  tasks: { arn: string; cluster: string; createdAt: number; definition: string }[];
  services: { arn: string; cluster: string }[];
}

function start(dir: string): CliProcess {
  const sim = startCli(["--port", "0", "--runtime", "simulated", "--quota-profile", "unlimited", "--seed", "77", "--state-dir", dir, "--log-level", "warn"]);
  children.push(sim);
  return sim;
}

/** Workers issuing mutating calls until `stop` says so; everything answered is recorded. */
async function load(ecs: ECSClient, random: SeededRandom, worker: number, acked: Acked, stop: () => boolean, onAck: () => void): Promise<void> {
  const cluster = `load-${worker}`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  acked.clusters.push(cluster);
  onAck();
  let latest: string | undefined;
  for (let i = 0; !stop(); i++) {
    try {
      const pick = random.int(0, 9);
      if (pick < 3 || !latest) {
        const res = await ecs.send(
          new RegisterTaskDefinitionCommand({
            family: `fam-${worker}`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: "256",
            memory: "512",
            containerDefinitions: [{ name: "app", image: "busybox", essential: true, environment: [{ name: "I", value: String(i) }] }],
          }),
        );
        latest = res.taskDefinition!.taskDefinitionArn!;
        acked.definitions.push(res.taskDefinition!);
      } else if (pick < 8) {
        const res = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: latest, count: random.int(1, 3), launchType: "FARGATE", networkConfiguration: NET }));
        for (const t of res.tasks ?? []) acked.tasks.push({ arn: t.taskArn!, cluster, createdAt: t.createdAt!.getTime(), definition: t.taskDefinitionArn! });
      } else if (pick < 9) {
        const res = await ecs.send(
          new CreateServiceCommand({ cluster, serviceName: `svc-${i}`, taskDefinition: latest, desiredCount: 1, networkConfiguration: NET }),
        );
        acked.services.push({ arn: res.service!.serviceArn!, cluster });
      } else {
        const name = `extra-${worker}-${i}`;
        await ecs.send(new CreateClusterCommand({ clusterName: name }));
        acked.clusters.push(name);
      }
      onAck();
    } catch {
      // Refused or cut off by the kill: not acknowledged, so nothing is expected of it.
    }
  }
}

describe.skipIf(!existsSync(CLI))("SIGKILL mid-load with --state-dir", () => {
  it.each([101, 202])("keeps every answered request across kill -9 and restart (seed %i)", async (seed) => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-kill-"));
    const random = new SeededRandom(seed);
    const killAfter = random.int(30, 90);
    const acked: Acked = { clusters: [], definitions: [], tasks: [], services: [] };

    const first = start(dir);
    const ecs1 = ecsClient(await first.ready, { maxAttempts: 1 });
    let acks = 0;
    let killed = false;
    const onAck = () => {
      if (++acks >= killAfter && !killed) {
        killed = true;
        first.child.kill("SIGKILL");
      }
    };
    await Promise.all([0, 1, 2, 3].map((w) => load(ecs1, random.fork(`w${w}`), w, acked, () => killed, onAck)));
    expect((await first.exited).signal).toBe("SIGKILL");
    ecs1.destroy();

    const second = start(dir);
    const ecs = ecsClient(await second.ready);
    try {
      const clusters = (await ecs.send(new DescribeClustersCommand({ clusters: acked.clusters }))).clusters ?? [];
      expect(clusters.map((c) => c.clusterName).sort()).toEqual([...acked.clusters].sort());

      for (const def of acked.definitions) {
        const now = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: def.taskDefinitionArn }))).taskDefinition;
        expect(now).toEqual(def);
      }

      for (const cluster of new Set(acked.tasks.map((t) => t.cluster))) {
        const mine = acked.tasks.filter((t) => t.cluster === cluster);
        for (let i = 0; i < mine.length; i += 100) {
          const batch = mine.slice(i, i + 100);
          const found = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch.map((t) => t.arn) }))).tasks ?? [];
          expect(found.map((t) => [t.taskArn, t.createdAt!.getTime(), t.taskDefinitionArn]).sort()).toEqual(
            batch.map((t) => [t.arn, t.createdAt, t.definition]).sort(),
          );
        }
      }

      for (const s of acked.services) {
        const [svc] = (await ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: [s.arn] }))).services ?? [];
        expect(svc?.status).toBe("ACTIVE");
      }

      // Revisions are never handed out twice, and new ids never repeat answered ones.
      for (const family of new Set(acked.definitions.map((d) => d.family!))) {
        const highest = Math.max(...acked.definitions.filter((d) => d.family === family).map((d) => d.revision!));
        const again = await ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: "256",
            memory: "512",
            containerDefinitions: [{ name: "app", image: "busybox", essential: true }],
          }),
        );
        expect(again.taskDefinition!.revision!).toBeGreaterThan(highest);
      }
      const fresh = await ecs.send(new RunTaskCommand({ cluster: "load-0", taskDefinition: acked.definitions[0]!.family, launchType: "FARGATE", networkConfiguration: NET }));
      expect(acked.tasks.map((t) => t.arn)).not.toContain(fresh.tasks![0]!.taskArn);
    } finally {
      ecs.destroy();
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 60_000);
});
