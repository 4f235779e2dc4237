import type { Failure } from "@aws-sdk/client-ecs";

/**
 * The Describe* pattern of ECS: each requested name or ARN is either found and shown, or listed
 * in `failures` as MISSING with its full ARN. The answer is 200 either way.
 */
export function describeEach<R, V>(
  refs: readonly string[],
  find: (ref: string) => R | undefined,
  arnOf: (name: string) => string,
  view: (record: R) => V,
): { found: V[]; failures: Failure[] } {
  const found: V[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const record = find(ref);
    if (record === undefined) failures.push({ arn: ref.startsWith("arn:") ? ref : arnOf(ref), reason: "MISSING" });
    else found.push(view(record));
  }
  return { found, failures };
}
