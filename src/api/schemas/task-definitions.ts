import { z } from "zod";
import { Bool, Count, Int, KeyValuePairSchema, Name, PaginationSchema, PlacementConstraintSchema, Str, StrList, TagsSchema, EnvironmentFileSchema } from "./common.js";

const PortMappingSchema = z.object({
  containerPort: Int.min(0).max(65535).optional(),
  hostPort: Int.min(0).max(65535).optional(),
  protocol: z.enum(["tcp", "udp"]).optional(),
  name: Str.optional(),
  appProtocol: z.enum(["http", "http2", "grpc"]).optional(),
  containerPortRange: Str.optional(),
});

const HealthCheckSchema = z.object({
  command: StrList,
  interval: Int.min(5).max(300).optional(),
  timeout: Int.min(2).max(120).optional(),
  retries: Int.min(1).max(10).optional(),
  startPeriod: Int.min(0).max(300).optional(),
});

const LogConfigurationSchema = z.object({
  logDriver: z.enum(["json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"]),
  options: z.record(Str).optional(),
  secretOptions: z.array(z.object({ name: Str, valueFrom: Str })).optional(),
});

const LinuxParametersSchema = z
  .object({
    capabilities: z.object({ add: StrList.optional(), drop: StrList.optional() }).optional(),
    devices: z.array(z.object({ hostPath: Str, containerPath: Str.optional(), permissions: StrList.optional() })).optional(),
    initProcessEnabled: Bool.optional(),
    sharedMemorySize: Int.optional(),
    tmpfs: z.array(z.object({ containerPath: Str, size: Int, mountOptions: StrList.optional() })).optional(),
    maxSwap: Int.optional(),
    swappiness: Int.optional(),
  })
  .passthrough();

export const ContainerDefinitionSchema = z.object({
  name: Str.optional(),
  image: Name.optional(),
  repositoryCredentials: z.object({ credentialsParameter: Str }).optional(),
  cpu: Count.optional(),
  memory: Count.optional(),
  memoryReservation: Count.optional(),
  links: StrList.optional(),
  portMappings: z.array(PortMappingSchema).optional(),
  essential: Bool.optional(),
  restartPolicy: z
    .object({ enabled: Bool, ignoredExitCodes: z.array(Int).optional(), restartAttemptPeriod: Int.optional() })
    .optional(),
  entryPoint: StrList.optional(),
  command: StrList.optional(),
  environment: z.array(KeyValuePairSchema).optional(),
  environmentFiles: z.array(EnvironmentFileSchema).optional(),
  mountPoints: z
    .array(z.object({ sourceVolume: Str.optional(), containerPath: Str.optional(), readOnly: Bool.optional() }))
    .optional(),
  volumesFrom: z.array(z.object({ sourceContainer: Str.optional(), readOnly: Bool.optional() })).optional(),
  linuxParameters: LinuxParametersSchema.optional(),
  secrets: z.array(z.object({ name: Name, valueFrom: Str })).optional(),
  dependsOn: z
    .array(z.object({ containerName: Str, condition: z.enum(["START", "COMPLETE", "SUCCESS", "HEALTHY"]) }))
    .optional(),
  startTimeout: Count.optional(),
  stopTimeout: Count.optional(),
  versionConsistency: z.enum(["enabled", "disabled"]).optional(),
  hostname: Name.optional(),
  user: Name.optional(),
  workingDirectory: Name.optional(),
  disableNetworking: Bool.optional(),
  privileged: Bool.optional(),
  readonlyRootFilesystem: Bool.optional(),
  dnsServers: StrList.optional(),
  dnsSearchDomains: StrList.optional(),
  extraHosts: z.array(z.object({ hostname: Str, ipAddress: Str })).optional(),
  dockerSecurityOptions: StrList.optional(),
  interactive: Bool.optional(),
  pseudoTerminal: Bool.optional(),
  dockerLabels: z.record(Str).optional(),
  ulimits: z.array(z.object({ name: Str, softLimit: Int, hardLimit: Int })).optional(),
  logConfiguration: LogConfigurationSchema.optional(),
  healthCheck: HealthCheckSchema.optional(),
  systemControls: z.array(z.object({ namespace: Str.optional(), value: Str.optional() })).optional(),
  resourceRequirements: z.array(z.object({ value: Str, type: z.enum(["GPU", "InferenceAccelerator"]) })).optional(),
  firelensConfiguration: z.object({ type: z.enum(["fluentd", "fluentbit"]), options: z.record(Str).optional() }).optional(),
  credentialSpecs: StrList.optional(),
});

const VolumeSchema = z
  .object({
    name: Str.optional(),
    host: z.object({ sourcePath: Str.optional() }).optional(),
    dockerVolumeConfiguration: z.object({}).passthrough().optional(),
    efsVolumeConfiguration: z.object({ fileSystemId: Str }).passthrough().optional(),
    fsxWindowsFileServerVolumeConfiguration: z.object({}).passthrough().optional(),
    configuredAtLaunch: Bool.optional(),
  });

export const RegisterTaskDefinitionSchema = z.object({
  family: Str.optional(),
  taskRoleArn: Str.optional(),
  executionRoleArn: Str.optional(),
  networkMode: z.enum(["bridge", "host", "awsvpc", "none"]).optional(),
  containerDefinitions: z.array(ContainerDefinitionSchema).optional(),
  volumes: z.array(VolumeSchema).optional(),
  placementConstraints: z.array(PlacementConstraintSchema).optional(),
  requiresCompatibilities: z.array(z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"])).optional(),
  cpu: Str.optional(),
  memory: Str.optional(),
  tags: TagsSchema.optional(),
  pidMode: z.enum(["host", "task"]).optional(),
  ipcMode: z.enum(["host", "task", "none"]).optional(),
  proxyConfiguration: z.object({ type: Str.optional(), containerName: Str, properties: z.array(KeyValuePairSchema).optional() }).optional(),
  inferenceAccelerators: z.array(z.object({ deviceName: Str, deviceType: Str })).optional(),
  ephemeralStorage: z.object({ sizeInGiB: Count }).optional(),
  runtimePlatform: z
    .object({
      cpuArchitecture: z.enum(["X86_64", "ARM64"]).optional(),
      operatingSystemFamily: Str.optional(),
    })
    .optional(),
  enableFaultInjection: Bool.optional(),
});

export const DescribeTaskDefinitionSchema = z.object({
  taskDefinition: Str,
  include: z.array(z.literal("TAGS")).optional(),
});

export const ListTaskDefinitionsSchema = z.object({
  familyPrefix: Str.optional(),
  status: z.enum(["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"]).optional(),
  sort: z.enum(["ASC", "DESC"]).optional(),
  ...PaginationSchema,
});

export const ListTaskDefinitionFamiliesSchema = z.object({
  familyPrefix: Str.optional(),
  status: z.enum(["ACTIVE", "INACTIVE", "ALL"]).optional(),
  ...PaginationSchema,
});

export const DeregisterTaskDefinitionSchema = z.object({ taskDefinition: Str });
export const DeleteTaskDefinitionsSchema = z.object({ taskDefinitions: StrList });
