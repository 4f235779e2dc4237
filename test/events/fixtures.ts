import type { Task } from "@aws-sdk/client-ecs";
import { VirtualClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/events.js";
import { silentLogger, type Logger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import type { EventsConfigInput } from "../../src/events/config.js";
import { EventHub } from "../../src/events/hub.js";

export const ACCOUNT = "111122223333";
export const REGION = "us-west-2";
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/FargateCluster`;
export const TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad`;

/** The Task that DescribeTasks would return for the AWS "ECS Task State Change" doc example. */
export function docExampleTask(): Task {
  return {
    attachments: [
      {
        id: "1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8",
        type: "ElasticNetworkInterface",
        status: "ATTACHED",
        details: [
          { name: "subnetId", value: "subnet-abcd1234" },
          { name: "networkInterfaceId", value: "eni-abcd1234" },
          { name: "macAddress", value: "0a:98:eb:a7:29:ba" },
          { name: "privateIPv4Address", value: "10.0.0.139" },
        ],
      },
    ],
    availabilityZone: "us-west-2c",
    clusterArn: CLUSTER_ARN,
    containers: [
      {
        containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/cf159fd6-3e3f-4a9e-84f9-66cbe726af01`,
        lastStatus: "RUNNING",
        name: "FargateApp",
        image: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest`,
        imageDigest: "sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6",
        runtimeId: "ad64cbc71c7fb31c55507ec24c9f77947132b03d48d9961115cf24f3b7307e1e",
        taskArn: TASK_ARN,
        networkInterfaces: [{ attachmentId: "1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8", privateIpv4Address: "10.0.0.139" }],
        cpu: "0",
        // DescribeTasks reports container health; the event does not (see the AWS notes).
        healthStatus: "UNKNOWN",
      },
    ],
    createdAt: new Date("2020-01-23T17:57:34.402Z"),
    launchType: "FARGATE",
    cpu: "256",
    memory: "512",
    desiredStatus: "RUNNING",
    group: "family:sample-fargate",
    lastStatus: "RUNNING",
    overrides: { containerOverrides: [{ name: "FargateApp" }] },
    connectivity: "CONNECTED",
    connectivityAt: new Date("2020-01-23T17:57:38.453Z"),
    pullStartedAt: new Date("2020-01-23T17:57:52.103Z"),
    startedAt: new Date("2020-01-23T17:57:58.103Z"),
    pullStoppedAt: new Date("2020-01-23T17:57:55.103Z"),
    taskArn: TASK_ARN,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/sample-fargate:1`,
    version: 4,
    platformVersion: "1.3.0",
    healthStatus: "UNKNOWN",
    tags: [{ key: "prefect.io/flow-run-id", value: "abc" }],
  };
}

/** The event AWS documents for that task (ecs_cwe_events.md), minus the random id. */
export const DOC_EXAMPLE_EVENT = {
  version: "0",
  "detail-type": "ECS Task State Change",
  source: "aws.ecs",
  account: ACCOUNT,
  time: "2020-01-23T17:57:58Z",
  region: REGION,
  resources: [TASK_ARN],
  detail: {
    attachments: [
      {
        id: "1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8",
        type: "eni",
        status: "ATTACHED",
        details: [
          { name: "subnetId", value: "subnet-abcd1234" },
          { name: "networkInterfaceId", value: "eni-abcd1234" },
          { name: "macAddress", value: "0a:98:eb:a7:29:ba" },
          { name: "privateIPv4Address", value: "10.0.0.139" },
        ],
      },
    ],
    availabilityZone: "us-west-2c",
    clusterArn: CLUSTER_ARN,
    containers: [
      {
        containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/cf159fd6-3e3f-4a9e-84f9-66cbe726af01`,
        lastStatus: "RUNNING",
        name: "FargateApp",
        image: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest`,
        imageDigest: "sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6",
        runtimeId: "ad64cbc71c7fb31c55507ec24c9f77947132b03d48d9961115cf24f3b7307e1e",
        taskArn: TASK_ARN,
        networkInterfaces: [{ attachmentId: "1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8", privateIpv4Address: "10.0.0.139" }],
        cpu: "0",
      },
    ],
    createdAt: "2020-01-23T17:57:34.402Z",
    launchType: "FARGATE",
    cpu: "256",
    memory: "512",
    desiredStatus: "RUNNING",
    group: "family:sample-fargate",
    lastStatus: "RUNNING",
    overrides: { containerOverrides: [{ name: "FargateApp" }] },
    connectivity: "CONNECTED",
    connectivityAt: "2020-01-23T17:57:38.453Z",
    pullStartedAt: "2020-01-23T17:57:52.103Z",
    startedAt: "2020-01-23T17:57:58.103Z",
    pullStoppedAt: "2020-01-23T17:57:55.103Z",
    updatedAt: "2020-01-23T17:57:58.103Z",
    taskArn: TASK_ARN,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/sample-fargate:1`,
    version: 4,
    platformVersion: "1.3.0",
  },
};

/** A minimal task in another cluster, with the fields a filter looks at. */
export function simpleTask(cluster: string, id: string, lastStatus = "PROVISIONING"): Task {
  return {
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
    taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${cluster}/${id}`,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app:1`,
    lastStatus,
    desiredStatus: "RUNNING",
    launchType: "FARGATE",
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    version: 1,
    containers: [],
  };
}

export interface HubKit {
  bus: EventBus;
  clock: VirtualClock;
  hub: EventHub;
  publishTask(task: Task): void;
}

export function makeHub(
  config: EventsConfigInput = {},
  opts: { startMs?: number; logger?: Logger; seed?: number } = {},
): HubKit {
  const bus = new EventBus();
  const clock = new VirtualClock(opts.startMs ?? Date.UTC(2026, 0, 1));
  const hub = new EventHub({
    bus,
    clock,
    random: new SeededRandom(opts.seed ?? 42),
    logger: opts.logger ?? silentLogger,
    config,
  });
  return {
    bus,
    clock,
    hub,
    publishTask: (task) => bus.publish("task.changed", { account: ACCOUNT, region: REGION, task }),
  };
}
