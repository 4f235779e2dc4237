import { describe, expect, it } from "vitest";
import { storeAutoScalingProviders, storeScalingInputs } from "../../src/autoscaling-groups/store-inputs.js";
import { normalizeProvider } from "../../src/domain/asg-capacity-providers.js";
import { Store, type ContainerInstanceRecord, type TaskRecord } from "../../src/state/store.js";

const scope = { account: "000000000000", region: "us-east-1" };
const base = "arn:aws:ecs:us-east-1:000000000000";

function task(id: string, extra: Partial<TaskRecord["task"]>, serviceName?: string): TaskRecord {
  return {
    task: { taskArn: `${base}:task/c/${id}`, clusterArn: `${base}:cluster/c`, lastStatus: "RUNNING", desiredStatus: "RUNNING", ...extra },
    clusterName: "c",
    containersStarted: true,
    ...(serviceName ? { serviceName } : {}),
  };
}

describe("managed scaling inputs read from the store", () => {
  it("counts PROVISIONING tasks of the provider not yet on an instance, sized from the task or its containers", () => {
    const store = new Store();
    const state = store.region(scope.account, scope.region);
    state.families.set("small", {
      name: "small",
      lastRevision: 1,
      revisions: new Map([[1, { size: 0, definition: { containerDefinitions: [{ name: "a", cpu: 256, memory: 512 }, { name: "b", memoryReservation: 256 }] } }]]),
    });
    for (const t of [
      task("1", { lastStatus: "PROVISIONING", capacityProviderName: "cp", cpu: "512", memory: "1024" }),
      task("2", { lastStatus: "PROVISIONING", capacityProviderName: "cp", taskDefinitionArn: `${base}:task-definition/small:1` }),
      task("3", { lastStatus: "PROVISIONING", capacityProviderName: "other", cpu: "512", memory: "1024" }),
      task("4", { lastStatus: "PROVISIONING", capacityProviderName: "cp", cpu: "512", memory: "1024", containerInstanceArn: `${base}:container-instance/c/x` }),
      task("5", { lastStatus: "RUNNING", capacityProviderName: "cp", cpu: "512", memory: "1024" }),
    ]) {
      state.tasks.set(t.task.taskArn!, t);
    }
    expect(storeScalingInputs(store).provisioningTasks(scope, "c", "cp")).toEqual([
      { cpu: 512, memory: 1024 },
      { cpu: 256, memory: 768 },
    ]);
  });

  it("reports registration and the non-daemon tasks still on an instance", () => {
    const store = new Store();
    const state = store.region(scope.account, scope.region);
    const instanceArn = `${base}:container-instance/c/abc`;
    const instance: ContainerInstanceRecord = {
      instance: { containerInstanceArn: instanceArn, ec2InstanceId: "i-0123", status: "ACTIVE" },
      clusterName: "c",
      origin: "autoscaling",
      availabilityZone: "us-east-1a",
      dynamicPortRange: { first: 32768, last: 60999 },
      maxTaskEnis: 2,
    };
    state.containerInstances.set(instanceArn, instance);
    state.services.set(`${base}:service/c/daemon`, { service: { serviceName: "daemon", schedulingStrategy: "DAEMON" }, clusterName: "c", taskSets: [], internal: {} });
    for (const t of [
      task("1", { containerInstanceArn: instanceArn }),
      task("2", { containerInstanceArn: instanceArn, lastStatus: "STOPPED" }),
      task("3", { containerInstanceArn: instanceArn }, "daemon"),
    ]) {
      state.tasks.set(t.task.taskArn!, t);
    }
    const inputs = storeScalingInputs(store);
    expect(inputs.instanceLoad(scope, "i-0123")).toEqual({ registered: true, nonDaemonTasks: 1 });
    expect(inputs.instanceLoad(scope, "i-booting")).toEqual({ registered: false, nonDaemonTasks: 0 });
  });

  it("tells the scheduler which providers are Auto Scaling groups and which make tasks wait", () => {
    const store = new Store();
    const state = store.region(scope.account, scope.region);
    state.capacityProviders.set("managed", { provider: { name: "managed", status: "ACTIVE", autoScalingGroupProvider: normalizeProvider({ autoScalingGroupArn: "a", managedScaling: { status: "ENABLED" } }) } });
    state.capacityProviders.set("manual", { provider: { name: "manual", status: "ACTIVE", autoScalingGroupProvider: normalizeProvider({ autoScalingGroupArn: "b" }) } });
    const providers = storeAutoScalingProviders(store);
    expect(["FARGATE", "FARGATE_SPOT", "managed", "manual"].map((p) => providers.isAutoScaling(scope, p))).toEqual([false, false, true, true]);
    expect(["managed", "manual", "ghost"].map((p) => providers.waitsForCapacity(scope, p))).toEqual([true, false, false]);
  });
});
