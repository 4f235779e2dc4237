import type { BucketSpec } from "./token-bucket.js";

/**
 * The request-rate buckets, per account and Region. Exported as data so the README table can be
 * generated from (or checked against) exactly what the engine enforces.
 */
export interface ApiBucketDefinition extends BucketSpec {
  /** Stable id used in config, /_sim/quotas and limit decisions. */
  id: string;
  /** Category name as AWS's throttling page prints it. */
  name: string;
  /** Actions that share this bucket. */
  actions: readonly string[];
  /** "aws" = documented by AWS (ecs-behavior.md §3); "simulator" = the simulator's own default. */
  source: "aws" | "simulator";
}

/**
 * ECS control-plane buckets, as AWS's throttling page lists them. Every action that the AWS page lists is
 * here with its exact burst and sustained rate. `UpdateContainerInstancesStates` is the page's
 * spelling; the real operation is UpdateContainerInstancesState, so both names are listed.
 */
export const ECS_API_BUCKETS: readonly ApiBucketDefinition[] = [
  {
    id: "cluster-modify",
    name: "Cluster modify",
    actions: ["CreateCluster", "DeleteCluster", "PutClusterCapacityProviders", "UpdateCluster", "UpdateClusterSettings"],
    burst: 20,
    sustained: 1,
    source: "aws",
  },
  { id: "cluster-read", name: "Cluster read", actions: ["DescribeClusters", "ListClusters"], burst: 50, sustained: 20, source: "aws" },
  {
    id: "task-definition-modify",
    name: "Task definition modify",
    actions: ["DeregisterTaskDefinition", "RegisterTaskDefinition"],
    burst: 20,
    sustained: 1,
    source: "aws",
  },
  {
    id: "task-definition-read",
    name: "Task definition read",
    actions: ["DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies"],
    burst: 50,
    sustained: 20,
    source: "aws",
  },
  {
    id: "task-definition-deletion",
    name: "Task definition deletion",
    actions: ["DeleteTaskDefinitions"],
    burst: 5,
    sustained: 1,
    source: "aws",
  },
  {
    id: "capacity-provider-modify",
    name: "Capacity provider modify",
    actions: ["CreateCapacityProvider", "DeleteCapacityProvider", "UpdateCapacityProvider"],
    burst: 10,
    sustained: 1,
    source: "aws",
  },
  {
    id: "capacity-provider-read",
    name: "Capacity provider read",
    actions: ["DescribeCapacityProviders"],
    burst: 50,
    sustained: 20,
    source: "aws",
  },
  { id: "tag-modify", name: "Tag modify", actions: ["TagResource", "UntagResource"], burst: 20, sustained: 10, source: "aws" },
  { id: "tag-read", name: "Tag read", actions: ["ListTagsForResource"], burst: 50, sustained: 20, source: "aws" },
  {
    id: "setting-modify",
    name: "Setting modify",
    actions: ["DeleteAccountSetting", "PutAccountSetting", "PutAccountSettingDefault"],
    burst: 10,
    sustained: 1,
    source: "aws",
  },
  { id: "setting-read", name: "Setting read", actions: ["ListAccountSettings"], burst: 50, sustained: 20, source: "aws" },
  {
    id: "cluster-resource-modify",
    name: "Cluster resource modify",
    actions: [
      "DeleteAttributes",
      "DeregisterContainerInstance",
      "ExecuteCommand",
      "PutAttributes",
      "RunTask",
      "StartTask",
      "StopTask",
      "UpdateContainerAgent",
      "UpdateContainerInstancesStates",
      "UpdateContainerInstancesState",
    ],
    burst: 100,
    sustained: 40,
    source: "aws",
  },
  {
    id: "cluster-resource-read",
    name: "Cluster resource read",
    actions: ["DescribeContainerInstances", "DescribeTasks", "ListAttributes", "ListContainerInstances", "ListTasks"],
    burst: 100,
    sustained: 20,
    source: "aws",
  },
  {
    id: "agent-modify",
    name: "Agent modify",
    actions: [
      "RegisterContainerInstance",
      "SubmitAttachmentStateChanges",
      "SubmitContainerStateChange",
      "SubmitTaskStateChange",
    ],
    burst: 200,
    sustained: 120,
    source: "aws",
  },
  {
    id: "service-modify",
    name: "Service modify",
    actions: ["CreateService", "DeleteService", "UpdateService"],
    burst: 50,
    sustained: 5,
    source: "aws",
  },
  { id: "service-read", name: "Service read", actions: ["DescribeServices", "ListServices"], burst: 100, sustained: 20, source: "aws" },
  {
    id: "service-deployment",
    name: "Service deployment",
    actions: ["DescribeServiceDeployments", "ListServiceDeployments"],
    burst: 50,
    sustained: 20,
    source: "aws",
  },
  {
    id: "service-revision",
    name: "Service revision",
    actions: ["DescribeServiceRevisions"],
    burst: 50,
    sustained: 20,
    source: "aws",
  },
  {
    id: "task-protection",
    name: "Task protection",
    actions: ["UpdateTaskProtection", "GetTaskProtection"],
    burst: 200,
    sustained: 80,
    source: "aws",
  },
  {
    id: "cluster-service-resource-read",
    name: "Cluster service resource read",
    actions: ["ListServicesByNamespace"],
    burst: 10,
    sustained: 1,
    source: "aws",
  },
  /*
   * SIMULATOR defaults. AWS publishes no bucket for the task-set, service-deployment control,
   * Express gateway, daemon and poll-endpoint operations (AWS documents none). They get the
   * rates of the nearest documented category, Service modify (50/5) and Service read (100/20),
   * shared per category like AWS's own buckets. Any operation name not in this table at all falls
   * into the same two buckets: Describe*, List* and Get* read, everything else modifies.
   */
  {
    id: "unlisted-modify",
    name: "Unlisted modify (simulator default)",
    actions: [
      "CreateTaskSet",
      "UpdateTaskSet",
      "DeleteTaskSet",
      "UpdateServicePrimaryTaskSet",
      "StopServiceDeployment",
      "ContinueServiceDeployment",
      "CreateExpressGatewayService",
      "UpdateExpressGatewayService",
      "DeleteExpressGatewayService",
      "CreateDaemon",
      "UpdateDaemon",
      "DeleteDaemon",
      "RegisterDaemonTaskDefinition",
      "DeleteDaemonTaskDefinition",
      "DiscoverPollEndpoint",
    ],
    burst: 50,
    sustained: 5,
    source: "simulator",
  },
  {
    id: "unlisted-read",
    name: "Unlisted read (simulator default)",
    actions: [
      "DescribeTaskSets",
      "DescribeExpressGatewayService",
      "DescribeDaemon",
      "ListDaemons",
      "DescribeDaemonDeployments",
      "ListDaemonDeployments",
      "DescribeDaemonRevisions",
      "DescribeDaemonTaskDefinition",
      "ListDaemonTaskDefinitions",
    ],
    burst: 100,
    sustained: 20,
    source: "simulator",
  },
];

/**
 * Fargate's own buckets, as AWS's Fargate throttling page lists them. RunTask takes a token from its ECS
 * category AND from fargate-run-task; every task launched takes one token from the launch bucket
 * of its class.
 */
export const FARGATE_BUCKETS: readonly ApiBucketDefinition[] = [
  {
    id: "fargate-run-task",
    name: "Fargate RunTask call rate",
    actions: ["RunTask"],
    burst: 20,
    sustained: 20,
    source: "aws",
  },
  {
    id: "fargate-launch-on-demand",
    name: "Fargate Resource rate quota for On Demand Amazon ECS tasks",
    actions: [],
    burst: 100,
    sustained: 20,
    source: "aws",
  },
  {
    id: "fargate-launch-spot",
    name: "Fargate Resource rate quota for Spot Amazon ECS tasks",
    actions: [],
    burst: 100,
    sustained: 20,
    source: "aws",
  },
];

export const ALL_BUCKETS: readonly ApiBucketDefinition[] = [...ECS_API_BUCKETS, ...FARGATE_BUCKETS];
export const BUCKET_IDS: readonly string[] = ALL_BUCKETS.map((b) => b.id);

export const LAUNCH_BUCKET_ID = { "on-demand": "fargate-launch-on-demand", spot: "fargate-launch-spot" } as const;
export const RUN_TASK_BUCKET_ID = "fargate-run-task";

const categoryByAction = new Map<string, string>();
for (const bucket of ECS_API_BUCKETS) for (const action of bucket.actions) categoryByAction.set(action, bucket.id);

/** The ECS category bucket an operation draws from (unknown names: by verb, see above). */
export function categoryOf(operation: string): string {
  const known = categoryByAction.get(operation);
  if (known) return known;
  return /^(Describe|List|Get)/.test(operation) ? "unlisted-read" : "unlisted-modify";
}

/** Every bucket an API call draws one token from, in order. */
export function bucketsForCall(operation: string): string[] {
  const buckets = [categoryOf(operation)];
  if (operation === "RunTask") buckets.push(RUN_TASK_BUCKET_ID);
  return buckets;
}

export function bucketDefinition(id: string): ApiBucketDefinition | undefined {
  return ALL_BUCKETS.find((b) => b.id === id);
}
