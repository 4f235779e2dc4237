import { EventEmitter } from "node:events";
import type { ContainerInstance, Task } from "@aws-sdk/client-ecs";

/**
 * In-process domain events. The scheduler publishes what happened; the API's event stream,
 * webhooks and test subscriptions listen. Publishers never know who listens.
 */
export interface DomainEvents {
  /** A task's lastStatus, desiredStatus or another evented field changed; `task` is a snapshot. */
  "task.changed": { account: string; region: string; task: Task; previousStatus?: string };
  /** A service-level happening, already shaped as the EventBridge detail-type and detail. */
  "service.event": {
    account: string;
    region: string;
    detailType: "ECS Service Action" | "ECS Deployment State Change";
    resources: string[];
    detail: Record<string, unknown>;
  };
  "limit.decision": LimitDecision;
  /** Tasks that found no container instance (RunTask, StartTask, a service): per-instance reasons. */
  "task.placement-failed": {
    account: string;
    region: string;
    clusterArn: string;
    taskDefinitionArn: string;
    group?: string;
    startedBy?: string;
    serviceName?: string;
    capacityProviderName?: string;
    operation: string;
    requestedCount: number;
    unplacedCount: number;
    noContainerInstances: boolean;
    failures: { arn: string; reason: string }[];
    closest?: { arn: string; reason: string };
  };
  /** A container instance registered, changed status or agent connection, or was deregistered; `instance` is a snapshot. */
  "instance.changed": { account: string; region: string; clusterArn: string; instance: ContainerInstance };
  /**
   * An event another AWS service sends to EventBridge about the simulated world (Application
   * Auto Scaling's scaling activities, CloudWatch's alarm state changes), already shaped.
   */
  "aws.event": {
    account: string;
    region: string;
    source: "aws.application-autoscaling" | "aws.cloudwatch";
    detailType: string;
    resources: string[];
    detail: Record<string, unknown>;
  };
}

export interface LimitDecision {
  time: number;
  account: string;
  region: string;
  operation: string;
  kind: "throttle" | "contention" | "vcpu-quota" | "quota" | "capacity" | "chaos";
  limit: string;
  allowed: boolean;
  requestId?: string;
  detail?: string;
}

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  subscribe<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
