import { partitionOf } from "../state/arn.js";
import type { RegionState } from "../state/store.js";
import type { AutoScalingGroupRecord } from "./types.js";

export function autoScalingGroupArn(scope: { account: string; region: string }, uuid: string, name: string): string {
  return `arn:${partitionOf(scope.region)}:autoscaling:${scope.region}:${scope.account}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;
}

const GROUP_ARN = /^arn:[^:]+:autoscaling:[^:]+:\d+:autoScalingGroup:[^:]+:autoScalingGroupName\/(.+)$/;

/** The group name an ARN names, or the reference itself when it is a plain name (AWS accepts both). */
export function groupNameOf(ref: string): string | undefined {
  if (!ref.startsWith("arn:")) return ref;
  return GROUP_ARN.exec(ref)?.[1];
}

/** The simulated group a capacity provider's autoScalingGroupArn refers to, if it is defined. */
export function findGroup(state: RegionState, ref: string): AutoScalingGroupRecord | undefined {
  const name = groupNameOf(ref);
  const group = name === undefined ? undefined : state.autoScalingGroups.get(name);
  if (!group) return undefined;
  return ref.startsWith("arn:") && ref !== group.arn ? undefined : group;
}
