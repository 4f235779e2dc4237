import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/index.js";
import { restoreStore, storeEntries } from "../../src/state/snapshot.js";
import { Store } from "../../src/state/store.js";
import { AutoScalingGroups } from "../../src/autoscaling-groups/groups.js";
import { VirtualClock } from "../../src/core/clock.js";
import { createLogger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import { call } from "../helpers/sim.js";
import { FakeLauncher } from "../helpers/fake-launcher.js";

const ASG = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:0b4c8f2e-1111-2222-3333-444455556666:autoScalingGroupName/g";

describe("capacity providers and Auto Scaling groups in the state dir", () => {
  it("keeps an Auto Scaling group provider and its cluster association across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-cp-"));
    const open = () => startSimulator({ runtime: "simulated", clock: "virtual", seed: 5, stateDir: dir, logLevel: "silent" });
    const first = await open();
    expect((await call(first, "CreateCapacityProvider", { name: "cp", autoScalingGroupProvider: { autoScalingGroupArn: ASG } })).status).toBe(200);
    expect((await call(first, "CreateCluster", { clusterName: "c", capacityProviders: ["cp"] })).status).toBe(200);
    await first.close();
    const second = await open();
    try {
      const described = await call(second, "DescribeCapacityProviders", { capacityProviders: ["cp"] });
      expect(described.body.capacityProviders[0]).toMatchObject({ name: "cp", status: "ACTIVE", autoScalingGroupProvider: { autoScalingGroupArn: ASG } });
      const refused = await call(second, "CreateCapacityProvider", { name: "cp2", autoScalingGroupProvider: { autoScalingGroupArn: ASG } });
      expect(refused.body.__type).toBe("ClientException");
    } finally {
      await second.close();
    }
  });

  it("snapshots and restores simulated groups with their instances", () => {
    const clock = new VirtualClock(0);
    const store = new Store();
    const groups = new AutoScalingGroups({ clock, store, launcher: new FakeLauncher(clock), random: new SeededRandom(1), logger: createLogger({ level: "silent", format: "text", now: () => 0 }) });
    groups.create({ account: "000000000000", region: "us-east-1" }, { name: "g", minSize: 2, maxSize: 2, instanceType: "m5.large", bootDelayMs: 0 });
    const entries = storeEntries(store);
    const restored = new Store();
    restoreStore(restored, structuredClone([...entries]));
    expect(restored.region("000000000000", "us-east-1").autoScalingGroups.get("g")).toEqual(store.region("000000000000", "us-east-1").autoScalingGroups.get("g"));
  });
});
