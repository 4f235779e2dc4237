import type {
  CapacityProviderStrategyItem,
  Cluster,
  DeploymentConfiguration,
  LoadBalancer,
  TaskDefinition,
  UpdateServiceRequest,
} from "@aws-sdk/client-ecs";
import { stableStringify } from "../../core/stable-json.js";
import type { Scope } from "../../domain/scope.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import { ClientException, InvalidParameterException } from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { checkCompatibility, resolveLaunchTarget, type LaunchTarget } from "../launch-target.js";
import type { RevisionConfig } from "./types.js";

const MAX_TARGET_GROUPS = 5;

type Network = NonNullable<RevisionConfig["networkConfiguration"]>;

/** The parts of a request that make up a revision (CreateService, UpdateService, CreateTaskSet). */
export interface ConfigSource {
  taskDefinition?: string;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  networkConfiguration?: RevisionConfig["networkConfiguration"];
  loadBalancers?: LoadBalancer[];
  serviceRegistries?: RevisionConfig["serviceRegistries"];
  serviceConnectConfiguration?: RevisionConfig["serviceConnectConfiguration"];
}

/**
 * Validates and resolves what a deployment or task set will run. Creating resolves the task
 * definition as a launch would; updating may keep a definition deregistered since it was deployed.
 */
export function buildConfig(
  taskDefinitions: TaskDefinitionRegistry,
  fallbackLaunchType: "EC2" | "FARGATE",
  scope: Scope,
  cluster: Cluster,
  src: ConfigSource,
  mode: "create" | "update",
  currentTaskDefinitionArn?: string,
): RevisionConfig {
  if (!src.taskDefinition) throw new InvalidParameterException(Messages.taskDefinitionNotFound);
  const def =
    mode === "create"
      ? taskDefinitions.resolveForLaunch(scope, src.taskDefinition)
      : definitionForUpdate(taskDefinitions, scope, src.taskDefinition, currentTaskDefinitionArn);
  const target: LaunchTarget = resolveLaunchTarget(cluster, src.launchType, src.capacityProviderStrategy, fallbackLaunchType);
  checkCompatibility(def, target);
  if (def.networkMode === "awsvpc" && !src.networkConfiguration?.awsvpcConfiguration?.subnets?.length) {
    throw new InvalidParameterException(Messages.networkConfigurationRequired);
  }
  const loadBalancers = src.loadBalancers ?? [];
  checkLoadBalancers(def, loadBalancers);
  return {
    taskDefinitionArn: def.taskDefinitionArn!,
    target,
    ...(target.kind === "strategy" ? { capacityProviderStrategy: target.strategy } : { launchType: target.launchType }),
    platformVersion: src.platformVersion ?? "LATEST",
    ...(src.networkConfiguration ? { networkConfiguration: normalizeNetwork(src.networkConfiguration) } : {}),
    loadBalancers: loadBalancers.map((lb) => ({ ...lb })),
    serviceRegistries: (src.serviceRegistries ?? []).map((r) => ({ ...r })),
    ...(src.serviceConnectConfiguration ? { serviceConnectConfiguration: src.serviceConnectConfiguration } : {}),
  };
}

function definitionForUpdate(
  taskDefinitions: TaskDefinitionRegistry,
  scope: Scope,
  ref: string,
  currentTaskDefinitionArn: string | undefined,
): TaskDefinition {
  const found = taskDefinitions.find(scope, ref);
  if (!found) throw new ClientException(Messages.taskDefinitionNotFound);
  const def = found.record.definition;
  // The running definition may have been deregistered since; a new one must be ACTIVE.
  if (def.taskDefinitionArn !== currentTaskDefinitionArn) {
    if (def.status === "INACTIVE") throw new ClientException(Messages.taskDefinitionInactive);
    if (def.status === "DELETE_IN_PROGRESS") throw new ClientException(Messages.taskDefinitionDeleteInProgress);
  }
  return def;
}

function checkLoadBalancers(def: TaskDefinition, loadBalancers: LoadBalancer[]): void {
  if (loadBalancers.length > MAX_TARGET_GROUPS) throw new InvalidParameterException(Messages.tooManyTargetGroups);
  for (const lb of loadBalancers) {
    if (!lb.targetGroupArn && !lb.loadBalancerName) throw new InvalidParameterException(Messages.loadBalancerTargetGroupRequired);
    const container = def.containerDefinitions?.find((c) => c.name === lb.containerName);
    const port = lb.containerPort ?? 0;
    if (!container || !(container.portMappings ?? []).some((p) => p.containerPort === port)) {
      throw new InvalidParameterException(Messages.loadBalancerContainerPort(lb.containerName ?? "", port));
    }
  }
}

/** Whether an UpdateService request may need a new deployment of an ECS-controller service. */
export function touchesConfig(input: UpdateServiceRequest): boolean {
  return Boolean(
    input.taskDefinition !== undefined ||
      input.capacityProviderStrategy?.length ||
      input.platformVersion !== undefined ||
      input.networkConfiguration !== undefined ||
      input.loadBalancers !== undefined ||
      input.serviceRegistries !== undefined ||
      input.serviceConnectConfiguration !== undefined ||
      input.forceNewDeployment,
  );
}

/** The revision an UpdateService request asks for: the current one with the request's fields over it. */
export function updatedSource(current: RevisionConfig, input: UpdateServiceRequest): ConfigSource {
  return {
    taskDefinition: input.taskDefinition ?? current.taskDefinitionArn,
    ...(input.capacityProviderStrategy?.length
      ? { capacityProviderStrategy: input.capacityProviderStrategy }
      : current.capacityProviderStrategy
        ? { capacityProviderStrategy: current.capacityProviderStrategy }
        : { launchType: current.launchType }),
    platformVersion: input.platformVersion ?? current.platformVersion,
    networkConfiguration: input.networkConfiguration ?? current.networkConfiguration,
    loadBalancers: input.loadBalancers ?? current.loadBalancers,
    serviceRegistries: input.serviceRegistries ?? current.serviceRegistries,
    serviceConnectConfiguration: input.serviceConnectConfiguration ?? current.serviceConnectConfiguration,
  };
}

/** Two configurations that compare equal deploy the same thing (the resolved target is derived). */
export function sameConfig(a: RevisionConfig, b: RevisionConfig): boolean {
  return configKey(a) === configKey(b);
}

function configKey(c: RevisionConfig): string {
  const { target: _target, ...rest } = c;
  return stableStringify(rest);
}

/** Defaults: 100 % healthy, 200 % at most; a DAEMON service's are 0 % and 100 % (it stops a task before starting its replacement). */
export function normalizeDeploymentConfiguration(
  input: DeploymentConfiguration | undefined,
  controller: string,
  daemon = false,
): DeploymentConfiguration {
  const cfg: DeploymentConfiguration = {
    ...(controller === "ECS" ? { deploymentCircuitBreaker: { enable: false, rollback: false } } : {}),
    maximumPercent: daemon ? 100 : 200,
    minimumHealthyPercent: daemon ? 0 : 100,
    ...(input ?? {}),
  };
  const min = cfg.minimumHealthyPercent!;
  const max = cfg.maximumPercent!;
  if (daemon && max > 100) throw new InvalidParameterException(Ec2Messages.daemonMaximumPercent);
  if (min < 0 || min > 100 || max < 1 || max < min) throw new InvalidParameterException(Messages.deploymentPercentRange);
  return cfg;
}

/** As DescribeServices shows it: security groups and assignPublicIp always present. */
export function normalizeNetwork(n: Network): Network {
  const vpc = n.awsvpcConfiguration;
  if (!vpc) return structuredClone(n);
  return {
    awsvpcConfiguration: {
      subnets: [...(vpc.subnets ?? [])],
      securityGroups: [...(vpc.securityGroups ?? [])],
      assignPublicIp: vpc.assignPublicIp ?? "DISABLED",
    },
  };
}
