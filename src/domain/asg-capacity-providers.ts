import type { AutoScalingGroupProvider, AutoScalingGroupProviderUpdate, CapacityProvider, ManagedScaling, Tag } from "@aws-sdk/client-ecs";
import { findGroup, groupNameOf } from "../autoscaling-groups/lookup.js";
import type { SimContext } from "../context.js";
import { ClientException, UpdateInProgressException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { Arn, nameFromArnOrName } from "../state/arn.js";
import type { CapacityProviderRecord, RegionState } from "../state/store.js";
import { describeFargateProvider, FARGATE_PROVIDERS, isFargateProvider } from "./capacity-providers.js";
import type { Scope } from "./scope.js";
import type { TagService } from "./tags.js";

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** AWS reserves these prefixes; the simulator compares them case-insensitively (its choice). */
const RESERVED_PREFIX = /^(aws|ecs|fargate)/i;

export const MANAGED_SCALING_DEFAULTS = {
  status: "DISABLED",
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10_000,
  instanceWarmupPeriod: 300,
} as const;

export interface CreateCapacityProviderInput {
  name: string;
  autoScalingGroupProvider: AutoScalingGroupProvider;
  tags?: Tag[];
}

export interface CapacityProviderServiceOptions {
  /** How long UPDATE_IN_PROGRESS and DELETE_IN_PROGRESS last on the simulator's clock (ms). */
  settleMs?: number;
  /** Called after any change, so the managed scaling loop can arm or disarm itself. */
  onChange?: () => void;
}

/**
 * Capacity providers backed by Auto Scaling groups: CreateCapacityProvider, UpdateCapacityProvider,
 * DeleteCapacityProvider and DescribeCapacityProviders. FARGATE and FARGATE_SPOT are built in and
 * never stored.
 */
export class CapacityProviderService {
  private readonly settleMs: number;

  constructor(
    private readonly ctx: SimContext,
    private readonly tags: TagService,
    private readonly opts: CapacityProviderServiceOptions = {},
  ) {
    this.settleMs = opts.settleMs ?? 1000;
  }

  private state(scope: Scope): RegionState {
    return this.ctx.store.region(scope.account, scope.region);
  }

  create(scope: Scope, input: CreateCapacityProviderInput): CapacityProvider {
    const name = input.name;
    if (!NAME.test(name) || RESERVED_PREFIX.test(name)) throw new ClientException(Messages.capacityProviderNameInvalid);
    const state = this.state(scope);
    const existing = state.capacityProviders.get(name);
    if (existing) this.settle(existing);
    if (existing && existing.provider.status === "ACTIVE") throw new ClientException(Messages.capacityProviderExists);
    const asg = input.autoScalingGroupProvider;
    if (groupNameOf(asg.autoScalingGroupArn ?? "") === undefined) throw new ClientException(Messages.autoScalingGroupArnInvalid);
    const sameGroup = [...state.capacityProviders.values()].some(
      (r) => r.provider.status === "ACTIVE" && sameGroupRef(r.provider.autoScalingGroupProvider?.autoScalingGroupArn, asg.autoScalingGroupArn),
    );
    if (sameGroup) throw new ClientException(Messages.autoScalingGroupInUse);
    const provider = normalizeProvider(asg);
    this.checkTerminationProtection(state, provider);
    if (input.tags) this.tags.validate(scope, input.tags);
    const arn = Arn.capacityProvider(scope, name);
    const record: CapacityProviderRecord = {
      provider: { capacityProviderArn: arn, name, status: "ACTIVE", autoScalingGroupProvider: provider, tags: [] },
    };
    state.capacityProviders.set(name, record);
    this.tags.replace(arn, input.tags ?? []);
    this.ctx.logger.info(`capacity provider ${name} created`, { account: scope.account, region: scope.region });
    this.opts.onChange?.();
    return { ...this.view(record), tags: this.tags.get(arn) };
  }

  update(scope: Scope, nameOrArn: string, patch: AutoScalingGroupProviderUpdate): CapacityProvider {
    const name = nameFromArnOrName(nameOrArn);
    if (isFargateProvider(name)) throw new ClientException(Messages.capacityProviderReserved(name));
    const record = this.active(scope, name);
    if (record.provider.updateStatus === "UPDATE_IN_PROGRESS") throw new UpdateInProgressException(Messages.capacityProviderUpdateInProgress);
    const current = record.provider.autoScalingGroupProvider!;
    const next: AutoScalingGroupProvider = {
      ...current,
      ...(patch.managedScaling ? { managedScaling: mergeScaling(current.managedScaling, patch.managedScaling) } : {}),
      ...(patch.managedTerminationProtection ? { managedTerminationProtection: patch.managedTerminationProtection } : {}),
      ...(patch.managedDraining ? { managedDraining: patch.managedDraining } : {}),
    };
    this.checkTerminationProtection(this.state(scope), next);
    record.provider.autoScalingGroupProvider = next;
    this.beginTransition(record, "UPDATE_IN_PROGRESS");
    this.opts.onChange?.();
    return this.view(record);
  }

  /**
   * As on AWS, deleting a provider that a cluster still uses answers 200 with updateStatus
   * DELETE_FAILED and the reason; otherwise the provider goes INACTIVE at once.
   */
  delete(scope: Scope, nameOrArn: string): CapacityProvider {
    const name = nameFromArnOrName(nameOrArn);
    if (isFargateProvider(name)) throw new ClientException(Messages.capacityProviderReserved(name));
    const record = this.active(scope, name);
    const cluster = this.associatedClusters(scope, name)[0];
    if (cluster !== undefined) {
      record.provider.updateStatus = "DELETE_FAILED";
      record.provider.updateStatusReason = Messages.capacityProviderDeleteAssociated(cluster);
      delete record.settlesAt;
      return this.view(record);
    }
    record.provider.status = "INACTIVE";
    this.beginTransition(record, "DELETE_IN_PROGRESS");
    this.ctx.logger.info(`capacity provider ${name} deleted`, { account: scope.account, region: scope.region });
    this.opts.onChange?.();
    return this.view(record);
  }

  /** Every provider when no names are given (FARGATE, FARGATE_SPOT, then the ACTIVE ones by name). */
  describe(scope: Scope, refs: string[] | undefined, includeTags: boolean): { capacityProviders: CapacityProvider[]; failures: { arn: string; reason: string }[] } {
    const state = this.state(scope);
    const capacityProviders: CapacityProvider[] = [];
    const failures: { arn: string; reason: string }[] = [];
    const withTags = (p: CapacityProvider): CapacityProvider => ({ ...p, tags: includeTags ? this.tags.get(p.capacityProviderArn!, scope) : [] });
    if (!refs || refs.length === 0) {
      for (const name of FARGATE_PROVIDERS) capacityProviders.push(withTags(describeFargateProvider(scope, name)));
      const names = [...state.capacityProviders.keys()].sort();
      for (const name of names) {
        const record = state.capacityProviders.get(name)!;
        this.settle(record);
        if (record.provider.status === "ACTIVE") capacityProviders.push(withTags(this.view(record)));
      }
      return { capacityProviders, failures };
    }
    for (const ref of refs) {
      const name = nameFromArnOrName(ref);
      const record = state.capacityProviders.get(name);
      const arnMatches = !ref.startsWith("arn:") || ref === Arn.capacityProvider(scope, name);
      if (isFargateProvider(name) && arnMatches) {
        capacityProviders.push(withTags(describeFargateProvider(scope, name)));
      } else if (record && arnMatches) {
        this.settle(record);
        capacityProviders.push(withTags(this.view(record)));
      } else {
        failures.push({ arn: ref, reason: "MISSING" });
      }
    }
    return { capacityProviders, failures };
  }

  /** An ACTIVE Auto Scaling group provider by name, or undefined. */
  find(scope: Scope, name: string): CapacityProvider | undefined {
    const record = this.state(scope).capacityProviders.get(name);
    if (!record) return undefined;
    this.settle(record);
    return record.provider.status === "ACTIVE" ? record.provider : undefined;
  }

  /** Names of the ACTIVE clusters the provider is associated with. */
  associatedClusters(scope: Scope, name: string): string[] {
    return [...this.state(scope).clusters.values()]
      .filter((c) => c.cluster.status === "ACTIVE" && (c.cluster.capacityProviders ?? []).includes(name))
      .map((c) => c.cluster.clusterName!);
  }

  private active(scope: Scope, name: string): CapacityProviderRecord {
    const record = this.state(scope).capacityProviders.get(name);
    if (record) this.settle(record);
    if (!record || record.provider.status !== "ACTIVE") throw new ClientException(Messages.capacityProviderUnknown(name));
    return record;
  }

  private checkTerminationProtection(state: RegionState, provider: AutoScalingGroupProvider): void {
    if (provider.managedTerminationProtection !== "ENABLED") return;
    const group = findGroup(state, provider.autoScalingGroupArn ?? "");
    if (group && !group.newInstancesProtectedFromScaleIn) {
      throw new ClientException(Messages.managedTerminationProtectionNeedsScaleInProtection);
    }
  }

  private beginTransition(record: CapacityProviderRecord, status: "UPDATE_IN_PROGRESS" | "DELETE_IN_PROGRESS"): void {
    record.provider.updateStatus = status;
    delete record.provider.updateStatusReason;
    record.settlesAt = this.ctx.clock.now() + this.settleMs;
    this.settle(record);
  }

  /** In-progress states end lazily once their time has come: no timer per provider. */
  private settle(record: CapacityProviderRecord): void {
    if (record.settlesAt === undefined || record.settlesAt > this.ctx.clock.now()) return;
    if (record.provider.updateStatus === "UPDATE_IN_PROGRESS") record.provider.updateStatus = "UPDATE_COMPLETE";
    if (record.provider.updateStatus === "DELETE_IN_PROGRESS") record.provider.updateStatus = "DELETE_COMPLETE";
    delete record.settlesAt;
  }

  private view(record: CapacityProviderRecord): CapacityProvider {
    return structuredClone({ ...record.provider, tags: [] });
  }
}

function sameGroupRef(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  if (a === b) return true;
  // A name and an ARN of the same name refer to the same group.
  return (!a.startsWith("arn:") || !b.startsWith("arn:")) && groupNameOf(a) === groupNameOf(b);
}

function mergeScaling(current: ManagedScaling | undefined, patch: ManagedScaling): ManagedScaling {
  return { ...MANAGED_SCALING_DEFAULTS, ...current, ...stripUndefined(patch) };
}

/** The provider as AWS echoes it: every managed scaling field filled in with its default. */
export function normalizeProvider(asg: AutoScalingGroupProvider): AutoScalingGroupProvider {
  return {
    autoScalingGroupArn: asg.autoScalingGroupArn,
    managedScaling: { ...MANAGED_SCALING_DEFAULTS, ...stripUndefined(asg.managedScaling ?? {}) },
    managedTerminationProtection: asg.managedTerminationProtection ?? "DISABLED",
    managedDraining: asg.managedDraining ?? "ENABLED",
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
