import { flatString } from "../core/flat-string.js";

/** ARN formats (the long format, mandatory since 2021). */
export interface ArnScope {
  account: string;
  region: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

const base = (s: ArnScope): string => `arn:${partitionOf(s.region)}:ecs:${s.region}:${s.account}`;

export const Arn = {
  cluster: (s: ArnScope, name: string) => `${base(s)}:cluster/${name}`,
  // Kept for every task (and each of its containers): stored flat, not as a tree of pieces.
  task: (s: ArnScope, cluster: string, id: string) => flatString(`${base(s)}:task/${cluster}/${id}`),
  container: (s: ArnScope, cluster: string, taskId: string, id: string) => flatString(`${base(s)}:container/${cluster}/${taskId}/${id}`),
  taskDefinition: (s: ArnScope, family: string, revision: number) => `${base(s)}:task-definition/${family}:${revision}`,
  service: (s: ArnScope, cluster: string, name: string) => `${base(s)}:service/${cluster}/${name}`,
  containerInstance: (s: ArnScope, cluster: string, id: string) => `${base(s)}:container-instance/${cluster}/${id}`,
  capacityProvider: (s: ArnScope, name: string) => `${base(s)}:capacity-provider/${name}`,
  taskSet: (s: ArnScope, cluster: string, service: string, id: string) => `${base(s)}:task-set/${cluster}/${service}/${id}`,
  serviceDeployment: (s: ArnScope, cluster: string, service: string, id: string) =>
    `${base(s)}:service-deployment/${cluster}/${service}/${id}`,
  serviceRevision: (s: ArnScope, cluster: string, service: string, id: string) =>
    `${base(s)}:service-revision/${cluster}/${service}/${id}`,
};

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resourceType: string;
  /** Everything after "<type>/" (or "<type>:"), e.g. "cluster/taskid" for tasks. */
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):([^/:]+)[/:](.+)$/.exec(arn);
  if (!m) return undefined;
  return {
    partition: m[1]!,
    service: m[2]!,
    region: m[3]!,
    account: m[4]!,
    resourceType: m[5]!,
    resource: m[6]!,
  };
}

/** The last path segment of an ARN, or the input when it is not an ARN (clusters, tasks, services accept both). */
export function nameFromArnOrName(value: string): string {
  if (!value.startsWith("arn:")) return value;
  const parsed = parseArn(value);
  if (!parsed) return value;
  const parts = parsed.resource.split("/");
  return parts[parts.length - 1]!;
}
