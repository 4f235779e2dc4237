import type { Tag } from "@aws-sdk/client-ecs";
import type { SimContext } from "../context.js";
import { ClientException, InvalidParameterException, ResourceNotFoundException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { parseArn } from "../state/arn.js";
import type { Scope } from "./scope.js";

/** Tags of every taggable resource, keyed by ARN in the region's store. */
export class TagService {
  constructor(private readonly ctx: SimContext) {}

  private map(scope: Scope): Map<string, Tag[]> {
    return this.ctx.store.region(scope.account, scope.region).tags;
  }

  get(arn: string, scope?: Scope): Tag[] {
    const s = scope ?? scopeOfArn(arn);
    if (!s) return [];
    return [...(this.map(s).get(arn) ?? [])];
  }

  /** Checks tag count, key/value lengths and the reserved prefix. */
  validate(scope: Scope, tags: Tag[], existing: Tag[] = []): void {
    const limit = this.ctx.quotas.limits(scope).tagsPerResource;
    const keys = new Set(existing.map((t) => t.key));
    for (const t of tags) {
      if (!t.key || t.key.length > 128) throw new InvalidParameterException("Tag keys must be between 1 and 128 characters.");
      if ((t.value ?? "").length > 256) throw new InvalidParameterException("Tag values must be at most 256 characters.");
      if (t.key.toLowerCase().startsWith("aws:")) throw new InvalidParameterException(Messages.tagKeyReserved);
      keys.add(t.key);
    }
    if (keys.size > limit) throw new InvalidParameterException(Messages.tooManyTags);
  }

  replace(arn: string, tags: Tag[]): void {
    const s = scopeOfArn(arn);
    if (!s) return;
    // No entry reads as no tags: an untagged task costs no map entry.
    if (tags.length === 0) this.map(s).delete(arn);
    else this.map(s).set(arn, tags.map((t) => ({ key: t.key, value: t.value ?? "" })));
  }

  tag(scope: Scope, arn: string, tags: Tag[]): void {
    this.requireResource(scope, arn);
    const current = this.get(arn, scope);
    this.validate(scope, tags, current);
    const byKey = new Map(current.map((t) => [t.key, t]));
    for (const t of tags) byKey.set(t.key, { key: t.key, value: t.value ?? "" });
    this.map(scope).set(arn, [...byKey.values()]);
  }

  untag(scope: Scope, arn: string, keys: string[]): void {
    this.requireResource(scope, arn);
    const remove = new Set(keys);
    this.map(scope).set(
      arn,
      this.get(arn, scope).filter((t) => !remove.has(t.key!)),
    );
  }

  list(scope: Scope, arn: string): Tag[] {
    this.requireResource(scope, arn);
    return this.get(arn, scope);
  }

  /** Taggable resources: clusters, task definitions, tasks, services, capacity providers, task sets. */
  private requireResource(scope: Scope, arn: string): void {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== "ecs") throw new InvalidParameterException(Messages.invalidArn(arn));
    if (parsed.account !== scope.account || parsed.region !== scope.region) {
      throw new ResourceNotFoundException(Messages.resourceNotFound);
    }
    const state = this.ctx.store.region(scope.account, scope.region);
    const exists = ((): boolean => {
      switch (parsed.resourceType) {
        case "cluster":
          return state.clusters.get(parsed.resource)?.cluster.status === "ACTIVE";
        case "task":
          return state.tasks.has(arn);
        case "task-definition": {
          const [family, rev] = parsed.resource.split(":");
          return !!state.families.get(family ?? "")?.revisions.has(Number(rev));
        }
        case "service":
          return state.services.has(arn);
        case "capacity-provider":
          return (
            parsed.resource === "FARGATE" ||
            parsed.resource === "FARGATE_SPOT" ||
            state.capacityProviders.get(parsed.resource)?.provider.status === "ACTIVE"
          );
        case "task-set":
          return [...state.services.values()].some((s) => s.taskSets.some((ts) => ts.taskSetArn === arn));
        default:
          return false;
      }
    })();
    if (!exists) {
      if (parsed.resourceType === "capacity-provider") {
        throw new ClientException(Messages.capacityProviderUnknown(parsed.resource));
      }
      throw new ResourceNotFoundException(Messages.resourceNotFound);
    }
  }
}

function scopeOfArn(arn: string): Scope | undefined {
  const parsed = parseArn(arn);
  return parsed ? { account: parsed.account, region: parsed.region } : undefined;
}
