import type { Cluster, CreateServiceRequest, DeploymentConfiguration, Service } from "@aws-sdk/client-ecs";
import type { Scope } from "../../domain/scope.js";
import type { ServiceRecord } from "../../state/store.js";
import { newInternal } from "./internal.js";
import { normalizeNetwork } from "./revision-config.js";
import type { RevisionConfig, ServiceInternal } from "./types.js";

/** What CreateService validated before the record is built. */
export interface NewService {
  scope: Scope;
  cluster: Cluster;
  arn: string;
  input: CreateServiceRequest;
  /** Absent for an EXTERNAL service created without a task definition. */
  config: RevisionConfig | undefined;
  controller: ServiceInternal["controller"];
  deploymentConfiguration: DeploymentConfiguration;
  fingerprint: string;
  now: number;
}

/** The stored record of a new service, ACTIVE and without deployments or task sets yet. */
export function newServiceRecord(n: NewService): ServiceRecord {
  const { input, config, cluster } = n;
  const service: Service = {
    serviceArn: n.arn,
    serviceName: input.serviceName,
    clusterArn: cluster.clusterArn,
    loadBalancers: config?.loadBalancers ?? [],
    serviceRegistries: config?.serviceRegistries ?? [],
    status: "ACTIVE",
    desiredCount: input.desiredCount ?? 0,
    ...launchTargetFields(input, config),
    platformVersion: input.platformVersion ?? "LATEST",
    platformFamily: "Linux",
    ...(config ? { taskDefinition: config.taskDefinitionArn } : {}),
    deploymentConfiguration: n.deploymentConfiguration,
    ...(input.role ? { roleArn: input.role } : {}),
    createdAt: new Date(n.now),
    placementConstraints: input.placementConstraints ?? [],
    placementStrategy: input.placementStrategy ?? [],
    ...(config?.networkConfiguration
      ? { networkConfiguration: config.networkConfiguration }
      : input.networkConfiguration
        ? { networkConfiguration: normalizeNetwork(input.networkConfiguration) }
        : {}),
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
    schedulingStrategy: input.schedulingStrategy ?? "REPLICA",
    deploymentController: { type: n.controller },
    createdBy: `arn:aws:iam::${n.scope.account}:root`,
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    propagateTags: input.propagateTags ?? "NONE",
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    ...(input.availabilityZoneRebalancing ? { availabilityZoneRebalancing: input.availabilityZoneRebalancing } : {}),
  };
  const internal = newInternal(n.scope, n.controller, n.fingerprint, input.clientToken);
  return {
    service,
    clusterName: cluster.clusterName!,
    taskSets: [],
    internal: internal as unknown as Record<string, unknown>,
  };
}

/** The resolved target when there is a revision, else the request's own (EXTERNAL without a task definition). */
function launchTargetFields(input: CreateServiceRequest, config: RevisionConfig | undefined): Pick<Service, "launchType" | "capacityProviderStrategy"> {
  if (config) {
    return config.capacityProviderStrategy
      ? { capacityProviderStrategy: config.capacityProviderStrategy }
      : { launchType: config.launchType as Service["launchType"] };
  }
  return input.capacityProviderStrategy?.length
    ? { capacityProviderStrategy: input.capacityProviderStrategy }
    : { launchType: (input.launchType ?? "FARGATE") as Service["launchType"] };
}
