import type { ServiceRecord } from "../../state/store.js";
import type { DeploymentState, ServiceDeploymentState, ServiceInternal } from "./types.js";

/** The scheduler's bookkeeping rides on the stored record; only this directory knows its shape. */
export function internalOf(record: ServiceRecord): ServiceInternal {
  return record.internal as unknown as ServiceInternal;
}

/** A service's bookkeeping before its first deployment or task set. */
export function newInternal(
  scope: ServiceInternal["scope"],
  controller: ServiceInternal["controller"],
  fingerprint: string,
  clientToken: string | undefined,
): ServiceInternal {
  return {
    scope,
    controller,
    fingerprint,
    ...(clientToken ? { clientToken } : {}),
    deployments: [],
    retired: [],
    serviceDeployments: [],
    revisions: [],
    taskSets: [],
    events: [],
    steady: false,
    consecutiveFailures: 0,
    startImpaired: false,
    nextLaunchAt: 0,
    placementDelayMs: 0,
    accounted: new Set(),
    everHealthy: new Set(),
    schedulerStopped: new Set(),
    registered: new Map(),
  };
}

export function primaryOf(internal: ServiceInternal): DeploymentState | undefined {
  return internal.deployments.find((d) => d.status === "PRIMARY");
}

/** The service deployment (DescribeServiceDeployments) a deployment belongs to. */
export function serviceDeploymentOf(internal: ServiceInternal, d: DeploymentState): ServiceDeploymentState | undefined {
  return internal.serviceDeployments.find((s) => s.arn === d.serviceDeploymentArn);
}
