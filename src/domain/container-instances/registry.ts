import type { Attribute, ContainerInstance, RegisterContainerInstanceRequest, Resource, Tag } from "@aws-sdk/client-ecs";
import type { SimContext } from "../../context.js";
import type { SeededRandom } from "../../core/random.js";
import { InvalidParameterException } from "../../errors/aws-errors.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { Arn } from "../../state/arn.js";
import { InstanceIndex, type ContainerInstanceRecord, type InstanceOrigin, type RegionState } from "../../state/store.js";
import type { ClusterService } from "../clusters.js";
import { awsvpcTaskLimit, instanceTypeSpec, type InstanceTypeSpec } from "../instance-types.js";
import type { Scope } from "../scope.js";
import type { TagService } from "../tags.js";
import { builtInAttributes, DEFAULT_DYNAMIC_PORT_RANGE, registeredResources } from "./registration.js";
import type { InstanceChange, SimulatedInstanceSpec } from "./types.js";
import { describeView } from "./views.js";

/** The agent version simulated instances report (a current ECS agent release). */
export const SIMULATED_AGENT_VERSION = "1.89.2";
const SIMULATED_AGENT_HASH = "b3ad3ce1";
const SIMULATED_DOCKER_VERSION = "DockerVersion: 25.0.8";
/** The ECS-optimized Amazon Linux 2023 AMI id simulated instances report. */
export const SIMULATED_AMI_ID = "ami-0c4b8f4a7f1e2d3a6";

/** Where a registration came from and what the agent said about the host. */
interface RegistrationInput {
  cluster: string;
  origin: InstanceOrigin;
  ec2InstanceId: string;
  instanceType?: string;
  availabilityZone: string;
  totalResources: Resource[];
  customAttributes: Attribute[];
  versionInfo?: ContainerInstance["versionInfo"];
  capacityProviderName?: string;
  autoScalingGroupName?: string;
  trunking: boolean;
  tags?: Tag[];
}

/**
 * The container instances of every cluster: registration (by an agent, the admin API, a config
 * file or an Auto Scaling group), status changes, attributes and the derived view. What happens
 * to tasks when an instance changes is the scheduler's business; it listens through onChange.
 */
export class ContainerInstanceRegistry {
  private readonly listeners = new Set<(change: InstanceChange) => void>();
  private readonly random: SeededRandom;

  constructor(
    private readonly ctx: SimContext,
    private readonly clusters: ClusterService,
    private readonly tags: TagService,
  ) {
    this.random = ctx.random.fork("container-instances");
  }

  state(scope: Scope): RegionState {
    return this.ctx.store.region(scope.account, scope.region);
  }

  onChange(listener: (change: InstanceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A fresh EC2 instance id, seeded: `i-` and 17 hex digits. */
  newEc2InstanceId(): string {
    return `i-${this.random.hex(17)}`;
  }

  /** RegisterContainerInstance as an ECS agent calls it. */
  registerFromAgent(scope: Scope, input: RegisterContainerInstanceRequest): ContainerInstanceRecord {
    const cluster = this.clusters.resolve(scope, input.cluster).cluster.clusterName!;
    const identity = parseIdentityDocument(input.instanceIdentityDocument);
    const instanceType = identity.instanceType;
    const spec = instanceType ? instanceTypeSpec(instanceType) : undefined;
    const totalResources = input.totalResources?.length ? input.totalResources : spec ? registeredResources(spec) : undefined;
    if (!totalResources) throw new InvalidParameterException(Ec2Messages.registrationResourcesRequired);
    const ec2InstanceId = identity.instanceId ?? this.newEc2InstanceId();
    const state = this.state(scope);
    // An agent that restarts registers again with the same instance: it gets its instance back.
    const existing = this.findByEc2Id(state, cluster, ec2InstanceId);
    if (existing && existing.instance.status !== "INACTIVE") {
      existing.instance.agentConnected = true;
      if (input.versionInfo) existing.instance.versionInfo = input.versionInfo;
      this.emit(scope, existing, "agent");
      return existing;
    }
    return this.add(scope, {
      cluster,
      origin: "agent",
      ec2InstanceId,
      instanceType,
      availabilityZone: identity.availabilityZone ?? `${scope.region}a`,
      totalResources,
      customAttributes: input.attributes ?? [],
      versionInfo: input.versionInfo,
      trunking: false,
      tags: input.tags,
    });
  }

  /** A simulated instance registers (admin API, config, Auto Scaling); its type must be in the table. */
  registerSimulated(scope: Scope, spec: SimulatedInstanceSpec, origin: InstanceOrigin, ec2InstanceId?: string): ContainerInstanceRecord {
    const cluster = this.clusters.resolve(scope, spec.cluster).cluster.clusterName!;
    const type = requireType(spec.instanceType);
    return this.add(scope, {
      cluster,
      origin,
      ec2InstanceId: ec2InstanceId ?? this.newEc2InstanceId(),
      instanceType: type.name,
      availabilityZone: spec.availabilityZone ?? `${scope.region}a`,
      totalResources: registeredResources(type),
      customAttributes: spec.attributes ?? [],
      capacityProviderName: spec.capacityProviderName,
      autoScalingGroupName: spec.autoScalingGroupName,
      trunking: spec.awsvpcTrunking ?? false,
    });
  }

  private add(scope: Scope, input: RegistrationInput): ContainerInstanceRecord {
    const state = this.state(scope);
    const id = this.random.hex(32);
    const arn = Arn.containerInstance(scope, input.cluster, id);
    const spec = input.instanceType ? instanceTypeSpec(input.instanceType) : undefined;
    const trunkId = input.trunking && spec?.maxTrunkEnis !== undefined ? `eni-${this.random.hex(17)}` : undefined;
    const builtIn = spec
      ? builtInAttributes(spec, {
          availabilityZone: input.availabilityZone,
          amiId: SIMULATED_AMI_ID,
          vpcId: "vpc-0a1b2c3d4e5f60718",
          subnetId: subnetFor(input.availabilityZone),
          ...(trunkId ? { awsvpcTrunkId: trunkId } : {}),
        })
      : [{ name: "ecs.availability-zone", value: input.availabilityZone }];
    const now = this.ctx.clock.now();
    const instance: ContainerInstance = {
      containerInstanceArn: arn,
      ec2InstanceId: input.ec2InstanceId,
      version: 1,
      versionInfo: input.versionInfo ?? {
        agentVersion: SIMULATED_AGENT_VERSION,
        agentHash: SIMULATED_AGENT_HASH,
        dockerVersion: SIMULATED_DOCKER_VERSION,
      },
      status: "ACTIVE",
      statusReason: undefined,
      agentConnected: true,
      registeredResources: input.totalResources.map((r) => structuredClone(r)),
      attributes: mergeAttributes(builtIn, input.customAttributes),
      registeredAt: new Date(now),
      attachments: trunkId ? [trunkAttachment(trunkId, this.random)] : [],
      tags: [],
      ...(input.capacityProviderName ? { capacityProviderName: input.capacityProviderName } : {}),
    };
    const record: ContainerInstanceRecord = {
      instance,
      clusterName: input.cluster,
      origin: input.origin,
      availabilityZone: input.availabilityZone,
      dynamicPortRange: { ...DEFAULT_DYNAMIC_PORT_RANGE },
      maxTaskEnis: spec ? awsvpcTaskLimit(spec, !!trunkId) : 2,
      ...(input.instanceType ? { instanceType: input.instanceType } : {}),
      ...(input.autoScalingGroupName ? { autoScalingGroupName: input.autoScalingGroupName } : {}),
    };
    if (input.tags?.length) {
      this.tags.validate(scope, input.tags);
      this.tags.replace(arn, input.tags);
    }
    state.containerInstances.set(arn, record);
    this.emit(scope, record, "registered");
    return record;
  }

  /** The instance by ARN or id within the cluster. */
  find(scope: Scope, clusterName: string, ref: string): ContainerInstanceRecord | undefined {
    const arn = ref.startsWith("arn:") ? ref : Arn.containerInstance(scope, clusterName, ref);
    const record = this.state(scope).containerInstances.get(arn);
    return record && record.clusterName === clusterName ? record : undefined;
  }

  /** The instance by its EC2 instance id, in any cluster of the region (the newest registration wins). */
  findByEc2InstanceId(scope: Scope, ec2InstanceId: string): ContainerInstanceRecord | undefined {
    let found: ContainerInstanceRecord | undefined;
    for (const r of this.state(scope).containerInstances.values()) if (r.instance.ec2InstanceId === ec2InstanceId) found = r;
    return found;
  }

  private findByEc2Id(state: RegionState, cluster: string, ec2InstanceId: string): ContainerInstanceRecord | undefined {
    for (const r of state.containerInstances.members(InstanceIndex.cluster(cluster))) {
      if (r.instance.ec2InstanceId === ec2InstanceId) return r;
    }
    return undefined;
  }

  /** Instances of a cluster (optionally one status) in registration order. */
  inCluster(scope: Scope, clusterName: string, status?: string): ContainerInstanceRecord[] {
    const state = this.state(scope);
    const key = status ? InstanceIndex.status(clusterName, status) : InstanceIndex.cluster(clusterName);
    return [...state.containerInstances.members(key)];
  }

  /** Status changes go through here so the indexes and listeners follow. */
  setStatus(scope: Scope, record: ContainerInstanceRecord, status: string, reason?: string): void {
    if (record.instance.status === status) return;
    record.instance.status = status;
    if (reason !== undefined) record.instance.statusReason = reason;
    record.instance.version = (record.instance.version ?? 0) + 1;
    this.state(scope).instanceChanged(record);
    this.emit(scope, record, status === "INACTIVE" ? "deregistered" : "status");
  }

  setAgentConnected(scope: Scope, record: ContainerInstanceRecord, connected: boolean): void {
    if (record.instance.agentConnected === connected) return;
    record.instance.agentConnected = connected;
    record.instance.version = (record.instance.version ?? 0) + 1;
    this.emit(scope, record, "agent");
  }

  /** Replaces the custom attributes named in `attributes` (built-in ones are the agent's and stay). */
  attributesChanged(scope: Scope, record: ContainerInstanceRecord): void {
    record.instance.version = (record.instance.version ?? 0) + 1;
    this.emit(scope, record, "attributes");
  }

  /** Tells listeners that the tasks on an instance changed what it holds (placement, stop). */
  resourcesChanged(scope: Scope, record: ContainerInstanceRecord): void {
    this.emit(scope, record, "resources");
  }

  emit(scope: Scope, record: ContainerInstanceRecord, kind: InstanceChange["kind"]): void {
    const change: InstanceChange = {
      scope,
      clusterName: record.clusterName,
      containerInstanceArn: record.instance.containerInstanceArn!,
      ec2InstanceId: record.instance.ec2InstanceId!,
      kind,
    };
    if (kind !== "resources") {
      this.ctx.bus.publish("instance.changed", {
        account: scope.account,
        region: scope.region,
        clusterArn: Arn.cluster(scope, record.clusterName),
        instance: structuredClone(describeView(this.state(scope), record, [])),
      });
    }
    for (const listener of [...this.listeners]) listener(change);
  }
}

function requireType(name: string): InstanceTypeSpec {
  const spec = instanceTypeSpec(name);
  if (!spec) throw new InvalidParameterException(Ec2Messages.unknownInstanceType(name));
  return spec;
}

interface IdentityDocument {
  instanceId?: string;
  instanceType?: string;
  availabilityZone?: string;
}

function parseIdentityDocument(doc: string | undefined): IdentityDocument {
  if (!doc) return {};
  try {
    const parsed = JSON.parse(doc) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    return {
      instanceId: str(parsed.instanceId),
      instanceType: str(parsed.instanceType),
      availabilityZone: str(parsed.availabilityZone),
    };
  } catch {
    throw new InvalidParameterException(Ec2Messages.identityDocumentInvalid);
  }
}

/** Built-in attributes first; a custom attribute of the same name replaces the built-in value. */
export function mergeAttributes(builtIn: Attribute[], custom: Attribute[]): Attribute[] {
  const byName = new Map<string, Attribute>();
  for (const a of [...builtIn, ...custom]) byName.set(a.name!, { name: a.name, ...(a.value !== undefined ? { value: a.value } : {}) });
  return [...byName.values()];
}

/** One stable subnet id per zone, so attribute:ecs.subnet-id groups instances by zone. */
function subnetFor(zone: string): string {
  let h = 0;
  for (const ch of zone) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `subnet-${h.toString(16).padStart(8, "0")}${"0".repeat(9)}`;
}

function trunkAttachment(trunkId: string, random: SeededRandom) {
  return {
    id: random.uuid(),
    type: "awsvpc-trunk",
    status: "ATTACHED",
    details: [{ name: "networkInterfaceId", value: trunkId }],
  };
}
