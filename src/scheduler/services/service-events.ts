import type { Clock } from "../../core/clock.js";
import type { DomainEvents, EventBus } from "../../core/events.js";
import type { Logger } from "../../core/logger.js";
import type { SeededRandom } from "../../core/random.js";
import type { ServiceRecord } from "../../state/store.js";
import { internalOf } from "./internal.js";

/** DescribeServices shows the newest 100 events. */
const MAX_EVENTS = 100;

export type ServiceEvents = ReturnType<typeof createServiceEvents>;

/**
 * What a service tells the outside: the event log DescribeServices shows, and the EventBridge
 * "ECS Service Action" and "ECS Deployment State Change" events. The texts live in Messages.
 */
export function createServiceEvents(deps: { clock: Clock; logger: Logger; bus: EventBus; random: SeededRandom }) {
  const { clock, logger, bus, random } = deps;

  function event(record: ServiceRecord, message: string): void {
    const internal = internalOf(record);
    internal.events.unshift({ id: random.uuid(), createdAt: clock.now(), message });
    if (internal.events.length > MAX_EVENTS) internal.events.length = MAX_EVENTS;
    logger.debug(message, { cluster: record.clusterName });
  }

  function publish(record: ServiceRecord, detailType: DomainEvents["service.event"]["detailType"], detail: Record<string, unknown>): void {
    const scope = internalOf(record).scope;
    bus.publish("service.event", {
      account: scope.account,
      region: scope.region,
      detailType,
      resources: [record.service.serviceArn!],
      detail,
    });
  }

  function publishAction(
    record: ServiceRecord,
    eventType: "INFO" | "WARN" | "ERROR",
    eventName: string,
    extra: Record<string, unknown> = {},
  ): void {
    publish(record, "ECS Service Action", {
      eventType,
      eventName,
      clusterArn: record.service.clusterArn,
      ...extra,
      createdAt: new Date(clock.now()).toISOString(),
    });
  }

  function publishDeployment(record: ServiceRecord, eventType: "INFO" | "ERROR", eventName: string, id: string, reason: string): void {
    publish(record, "ECS Deployment State Change", {
      eventType,
      eventName,
      deploymentId: id,
      updatedAt: new Date(clock.now()).toISOString(),
      reason,
    });
  }

  return { event, publishAction, publishDeployment };
}
