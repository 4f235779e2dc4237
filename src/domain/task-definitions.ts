import type {
  Attribute,
  ContainerDefinition,
  RegisterTaskDefinitionRequest,
  Tag,
  TaskDefinition,
  TaskDefinitionStatus,
} from "@aws-sdk/client-ecs";
import type { SimContext } from "../context.js";
import { ClientException, InvalidParameterException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { Arn, parseArn } from "../state/arn.js";
import type { FamilyRecord, RegionState, TaskDefinitionRecord } from "../state/store.js";
import { validateTaskDefinition } from "./task-definition-rules.js";
import type { Scope } from "./scope.js";
import type { TagService } from "./tags.js";
import { paginate } from "./pagination.js";

export interface ResolvedTaskDefinition {
  family: FamilyRecord;
  record: TaskDefinitionRecord;
}

/** Task definition families and revisions: registration, lookup, deregistration and deletion. */
export class TaskDefinitionRegistry {
  constructor(
    private readonly ctx: SimContext,
    private readonly tags: TagService,
  ) {}

  private state(scope: Scope): RegionState {
    return this.ctx.store.region(scope.account, scope.region);
  }

  /**
   * Validates, takes the family's registration slot and records the new revision at once; the
   * promise settles when the registration stops being in flight (the quota gate decides when).
   */
  async register(scope: Scope, input: RegisterTaskDefinitionRequest, requestId: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const limits = this.ctx.quotas.limits(scope);
    const normalized = validateTaskDefinition(input, limits);
    if (input.tags !== undefined) {
      if (input.tags.length === 0) throw new ClientException(Messages.tagsEmpty);
      this.tags.validate(scope, input.tags);
    }
    const state = this.state(scope);
    const familyName = normalized.family!;
    const family = state.families.get(familyName) ?? { name: familyName, lastRevision: 0, revisions: new Map() };
    if (family.lastRevision >= limits.revisionsPerFamily) {
      throw new ClientException(Messages.revisionLimit(limits.revisionsPerFamily));
    }
    // Contention is decided last, so a request that fails validation never holds the family.
    const inFlight = this.ctx.quotas.admitRegistration(scope, familyName, requestId);

    const revision = family.lastRevision + 1;
    const definition: TaskDefinition = {
      ...normalized,
      taskDefinitionArn: Arn.taskDefinition(scope, familyName, revision),
      revision,
      status: "ACTIVE",
      compatibilities: compatibilitiesOf(normalized),
      requiresAttributes: requiredAttributes(normalized),
      registeredAt: new Date(this.ctx.clock.now()),
      registeredBy: `arn:aws:iam::${scope.account}:root`,
    };
    if (this.ctx.config.emitEnableFaultInjection && definition.enableFaultInjection === undefined) {
      definition.enableFaultInjection = false;
    }
    family.lastRevision = revision;
    family.revisions.set(revision, { definition, size: JSON.stringify(input).length });
    state.families.set(familyName, family);
    this.tags.replace(definition.taskDefinitionArn!, input.tags ?? []);
    this.ctx.logger.info(`task definition ${familyName}:${revision} registered`);
    const result = { taskDefinition: definition, tags: this.tags.get(definition.taskDefinitionArn!, scope) };
    await inFlight;
    return result;
  }

  /** `family` (latest ACTIVE), `family:revision`, or the full ARN; undefined when nothing matches. */
  find(scope: Scope, ref: string): ResolvedTaskDefinition | undefined {
    const state = this.state(scope);
    let familyName: string;
    let revision: number | undefined;
    if (ref.startsWith("arn:")) {
      const parsed = parseArn(ref);
      if (!parsed || parsed.resourceType !== "task-definition") return undefined;
      if (parsed.account !== scope.account || parsed.region !== scope.region) return undefined;
      [familyName, revision] = splitRef(parsed.resource);
      if (revision === undefined) return undefined;
    } else {
      [familyName, revision] = splitRef(ref);
    }
    const family = state.families.get(familyName);
    if (!family) return undefined;
    if (revision === undefined) {
      const active = [...family.revisions.values()]
        .filter((r) => r.definition.status === "ACTIVE")
        .sort((a, b) => b.definition.revision! - a.definition.revision!);
      return active[0] ? { family, record: active[0] } : undefined;
    }
    const record = family.revisions.get(revision);
    return record ? { family, record } : undefined;
  }

  describe(scope: Scope, ref: string, includeTags: boolean): { taskDefinition: TaskDefinition; tags?: Tag[] } {
    const found = this.find(scope, ref);
    if (!found) throw new ClientException(Messages.unableToDescribeTaskDefinition);
    const def = found.record.definition;
    return includeTags
      ? { taskDefinition: def, tags: this.tags.get(def.taskDefinitionArn!, scope) }
      : { taskDefinition: def, tags: [] };
  }

  /** What RunTask and CreateService accept: an existing, ACTIVE definition. */
  resolveForLaunch(scope: Scope, ref: string): TaskDefinition {
    const found = this.find(scope, ref);
    if (!found) throw new ClientException(Messages.taskDefinitionNotFound);
    const status = found.record.definition.status;
    if (status === "INACTIVE") throw new InvalidParameterException(Messages.taskDefinitionInactive);
    if (status === "DELETE_IN_PROGRESS") throw new ClientException(Messages.taskDefinitionDeleteInProgress);
    return found.record.definition;
  }

  list(
    scope: Scope,
    opts: { familyPrefix?: string; status?: TaskDefinitionStatus; sort?: "ASC" | "DESC"; maxResults?: number; nextToken?: string },
  ) {
    const status = opts.status ?? "ACTIVE";
    const arns: { family: string; revision: number; arn: string }[] = [];
    for (const family of this.state(scope).families.values()) {
      if (opts.familyPrefix !== undefined && family.name !== opts.familyPrefix) continue;
      for (const r of family.revisions.values()) {
        if (r.definition.status === status) {
          arns.push({ family: family.name, revision: r.definition.revision!, arn: r.definition.taskDefinitionArn! });
        }
      }
    }
    arns.sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
    if (opts.sort === "DESC") arns.reverse();
    const { page, nextToken } = paginate(arns, { ...opts, kind: "taskDefinitions" });
    return { taskDefinitionArns: page.map((a) => a.arn), ...(nextToken ? { nextToken } : {}) };
  }

  listFamilies(
    scope: Scope,
    opts: { familyPrefix?: string; status?: "ACTIVE" | "INACTIVE" | "ALL"; maxResults?: number; nextToken?: string },
  ) {
    const status = opts.status ?? "ALL";
    const names: string[] = [];
    for (const family of this.state(scope).families.values()) {
      if (opts.familyPrefix && !family.name.startsWith(opts.familyPrefix)) continue;
      const hasActive = [...family.revisions.values()].some((r) => r.definition.status === "ACTIVE");
      if (status === "ACTIVE" && !hasActive) continue;
      if (status === "INACTIVE" && hasActive) continue;
      names.push(family.name);
    }
    names.sort();
    const { page, nextToken } = paginate(names, { ...opts, kind: "families" });
    return { families: page, ...(nextToken ? { nextToken } : {}) };
  }

  deregister(scope: Scope, ref: string): TaskDefinition {
    if (!/:\d+$/.test(ref)) throw new ClientException(Messages.deregisterNeedsRevision);
    const found = this.find(scope, ref);
    if (!found) throw new ClientException(Messages.unableToDescribeTaskDefinition);
    const def = found.record.definition;
    if (def.status === "ACTIVE") {
      def.status = "INACTIVE";
      def.deregisteredAt = new Date(this.ctx.clock.now());
      this.ctx.logger.info(`task definition ${def.family}:${def.revision} deregistered`);
    }
    return def;
  }

  delete(scope: Scope, refs: string[]) {
    if (refs.length === 0) throw new InvalidParameterException(Messages.deleteTaskDefinitionsEmpty);
    if (refs.length > 10) throw new InvalidParameterException(Messages.deleteTaskDefinitionsLimit);
    const taskDefinitions: TaskDefinition[] = [];
    // As on AWS, a failure names the reference as given and says why in `reason` alone.
    const failures: { arn: string; reason: string }[] = [];
    for (const ref of refs) {
      if (!/:\d+$/.test(ref)) {
        failures.push({ arn: ref, reason: Messages.deleteTaskDefinitionInvalidId });
        continue;
      }
      const found = this.find(scope, ref);
      if (!found) {
        failures.push({ arn: ref, reason: Messages.deleteTaskDefinitionMissing });
        continue;
      }
      const def = found.record.definition;
      if (def.status === "ACTIVE") {
        failures.push({ arn: ref, reason: Messages.deleteTaskDefinitionActive });
        continue;
      }
      def.status = "DELETE_IN_PROGRESS";
      taskDefinitions.push(def);
    }
    return { taskDefinitions, failures };
  }
}

function splitRef(ref: string): [string, number | undefined] {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? [m[1]!, parseInt(m[2]!, 10)] : [ref, undefined];
}

/** What AWS computes: a definition that satisfies Fargate's rules is compatible with both. */
function compatibilitiesOf(def: TaskDefinition): ("EC2" | "FARGATE")[] {
  const fargateReady = def.networkMode === "awsvpc" && def.cpu !== undefined && def.memory !== undefined;
  return fargateReady || def.requiresCompatibilities?.includes("FARGATE") ? ["EC2", "FARGATE"] : ["EC2"];
}

function requiredAttributes(def: TaskDefinition): Attribute[] {
  const names = new Set<string>(["com.amazonaws.ecs.capability.docker-remote-api.1.18"]);
  const containers: ContainerDefinition[] = def.containerDefinitions ?? [];
  if (def.networkMode === "awsvpc") names.add("ecs.capability.task-eni");
  if (def.taskRoleArn) names.add("com.amazonaws.ecs.capability.task-iam-role");
  for (const c of containers) {
    if (c.logConfiguration?.logDriver === "awslogs") {
      names.add("com.amazonaws.ecs.capability.logging-driver.awslogs");
      names.add("com.amazonaws.ecs.capability.docker-remote-api.1.19");
      if (def.executionRoleArn) names.add("ecs.capability.execution-role-awslogs");
    }
    if (c.secrets?.length) names.add("ecs.capability.secrets.asm.environment-variables");
    if (c.healthCheck) names.add("ecs.capability.container-health-check");
    if (c.dependsOn?.length) names.add("ecs.capability.container-ordering");
  }
  return [...names].map((name) => ({ name }));
}
