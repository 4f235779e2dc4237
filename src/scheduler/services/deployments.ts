import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { SeededRandom } from "../../core/random.js";
import { Messages } from "../../errors/messages.js";
import { Arn } from "../../state/arn.js";
import type { ServiceRecord } from "../../state/store.js";
import { internalOf } from "./internal.js";
import { deploymentId, serviceDeploymentId, serviceRevisionId } from "./naming.js";
import type { ServiceEvents } from "./service-events.js";
import type {
  DeploymentState,
  RevisionConfig,
  RevisionState,
  ServiceDeploymentState,
  ServiceDeploymentStatus,
  ServiceInternal,
} from "./types.js";

type LastCompleted = NonNullable<ServiceInternal["lastCompleted"]>;

interface Rollback {
  rollbackOf: DeploymentState;
  revisionArn: string;
  reason: string;
}

export type Deployments = ReturnType<typeof createDeployments>;

/**
 * Deployments of ECS-controller services, the service deployments (DescribeServiceDeployments)
 * that record them, and the revisions both point at.
 */
export function createDeployments(deps: { clock: Clock; random: SeededRandom; logger: Logger; events: ServiceEvents }) {
  const { clock, random } = deps;

  function newRevision(record: ServiceRecord, config: RevisionConfig): RevisionState {
    const internal = internalOf(record);
    const revision: RevisionState = {
      arn: Arn.serviceRevision(internal.scope, record.clusterName, record.service.serviceName!, serviceRevisionId(random)),
      config,
      createdAt: clock.now(),
    };
    internal.revisions.push(revision);
    return revision;
  }

  /**
   * Makes `config` the PRIMARY deployment; the previous ones become ACTIVE and roll out. A rollback
   * reuses the failed deployment's service deployment and revision; anything else opens a new
   * service deployment and supersedes those still in progress.
   */
  function start(record: ServiceRecord, config: RevisionConfig, rollback?: Rollback): DeploymentState {
    const internal = internalOf(record);
    const now = clock.now();
    const revisionArn = rollback?.revisionArn ?? newRevision(record, config).arn;
    const id = deploymentId(random);
    for (const d of internal.deployments) {
      if (d.status === "PRIMARY") {
        d.status = "ACTIVE";
        d.updatedAt = now;
      }
    }
    const sd = rollback
      ? internal.serviceDeployments.find((s) => s.arn === rollback.rollbackOf.serviceDeploymentArn)
      : openServiceDeployment(record, revisionArn, now);
    const deployment: DeploymentState = {
      id,
      status: "PRIMARY",
      revisionArn,
      config,
      serviceDeploymentArn: sd?.arn ?? "",
      failedTasks: 0,
      breakerSettled: false,
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: rollback?.reason ?? Messages.deploymentInProgress(id),
      createdAt: now,
      updatedAt: now,
      ...(rollback ? { rollbackOf: rollback.rollbackOf.id } : {}),
    };
    sd?.deploymentIds.push(id);
    internal.deployments.unshift(deployment);
    record.service.taskDefinition = config.taskDefinitionArn;
    // A new configuration deserves a fresh start: earlier failures and back-off were about the old one.
    internal.steady = false;
    internal.consecutiveFailures = 0;
    internal.startImpaired = false;
    internal.nextLaunchAt = 0;
    internal.placementDelayMs = 0;
    internal.placementRetryAt = 0;
    deps.events.publishDeployment(record, "INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS", id, deployment.rolloutStateReason);
    deps.logger.info(`service ${record.service.serviceName}: deployment ${id} started`, {
      taskDefinition: config.taskDefinitionArn,
      ...(rollback ? { rollbackOf: rollback.rollbackOf.id } : {}),
    });
    return deployment;
  }

  function openServiceDeployment(record: ServiceRecord, targetRevisionArn: string, now: number): ServiceDeploymentState {
    const internal = internalOf(record);
    for (const prior of internal.serviceDeployments) {
      if (prior.status === "IN_PROGRESS" || prior.status === "ROLLBACK_IN_PROGRESS") {
        const target = internal.deployments.find((d) => d.serviceDeploymentArn === prior.arn && d.status !== "INACTIVE");
        endServiceDeployment(prior, "STOPPED", Messages.deploymentSuperseded(target?.id ?? prior.arn), now);
      }
    }
    const breaker = record.service.deploymentConfiguration?.deploymentCircuitBreaker;
    const sd: ServiceDeploymentState = {
      arn: Arn.serviceDeployment(internal.scope, record.clusterName, record.service.serviceName!, serviceDeploymentId(random)),
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      status: "IN_PROGRESS",
      sourceRevisionArns: [...new Set(internal.deployments.map((d) => d.revisionArn))],
      targetRevisionArn,
      deploymentConfiguration: structuredClone(record.service.deploymentConfiguration ?? {}),
      deploymentIds: [],
      breaker: {
        status: breaker?.enable ? "MONITORING" : "DISABLED",
        failureCount: 0,
        threshold: breakerThreshold(record.service.desiredCount ?? 0),
      },
    };
    internal.serviceDeployments.push(sd);
    return sd;
  }

  /**
   * Sends the service back to the last completed revision. The failed deployment's service
   * deployment carries the rollback: `statusReason` says why it failed, `rollbackReason` is what
   * its rollback shows.
   */
  function rollBack(
    record: ServiceRecord,
    failed: DeploymentState,
    last: LastCompleted,
    sd: ServiceDeploymentState | undefined,
    why: { statusReason: string; rollbackReason: string },
    now: number,
  ): void {
    if (sd) {
      sd.status = "ROLLBACK_IN_PROGRESS";
      sd.statusReason = why.statusReason;
      sd.rollback = { reason: why.rollbackReason, startedAt: now, serviceRevisionArn: last.revisionArn };
      sd.updatedAt = now;
    }
    start(record, last.config, { rollbackOf: failed, revisionArn: last.revisionArn, reason: Messages.circuitBreakerRollingBack(last.deploymentId) });
  }

  return { start, newRevision, rollBack };
}

/** Circuit breaker threshold: 0.5 x desiredCount, clamped to [3, 200]. */
export function breakerThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));
}

/** A service deployment that ends without reaching its target revision. */
export function endServiceDeployment(
  sd: ServiceDeploymentState,
  status: Extract<ServiceDeploymentStatus, "STOPPED" | "ROLLBACK_FAILED">,
  reason: string | undefined,
  now: number,
): void {
  sd.status = status;
  sd.statusReason = reason;
  sd.stoppedAt = now;
  sd.updatedAt = now;
}

/** A rollback goes to the last completed revision, and only when the failed deployment ran another one. */
export function rollbackTarget(internal: ServiceInternal, failed: DeploymentState): LastCompleted | undefined {
  const last = internal.lastCompleted;
  return last && last.revisionArn !== failed.revisionArn ? last : undefined;
}
