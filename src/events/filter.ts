import { clusterMatches, type EcsEventEnvelope } from "./envelope.js";

/** Which events a reader wants. Each list is an OR; the two lists combine with AND. */
export interface EventFilter {
  detailTypes?: readonly string[] | undefined;
  /** Cluster names or ARNs. */
  clusters?: readonly string[] | undefined;
}

export function matchesFilter(
  event: EcsEventEnvelope<object>,
  clusterArn: string | undefined,
  filter: EventFilter | undefined,
): boolean {
  if (!filter) return true;
  if (filter.detailTypes && filter.detailTypes.length > 0 && !filter.detailTypes.includes(event["detail-type"])) {
    return false;
  }
  if (filter.clusters && filter.clusters.length > 0 && !filter.clusters.some((c) => clusterMatches(clusterArn, c))) {
    return false;
  }
  return true;
}
