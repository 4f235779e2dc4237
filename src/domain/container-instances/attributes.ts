import type { Attribute } from "@aws-sdk/client-ecs";
import { AttributeLimitExceededException, InvalidParameterException, TargetNotFoundException } from "../../errors/aws-errors.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { parseArn } from "../../state/arn.js";
import type { ContainerInstanceRecord } from "../../state/store.js";
import type { Scope } from "../scope.js";
import type { ContainerInstanceRegistry } from "./registry.js";

/** Custom attributes per resource (the agent's own `ecs.*` and capability attributes do not count). */
export const MAX_CUSTOM_ATTRIBUTES = 10;

const NAME = /^[A-Za-z0-9_./\\-]{1,128}$/;
const VALUE = /^[A-Za-z0-9_.@/\\: -]{1,128}$/;

/** Attributes the agent registers itself: ECS never counts them as custom ones. */
function isBuiltIn(name: string): boolean {
  return name.startsWith("ecs.") || name.startsWith("com.amazonaws.ecs.");
}

export interface AttributeRow extends Attribute {
  targetType: "container-instance";
  targetId: string;
}

/**
 * PutAttributes, ListAttributes and DeleteAttributes on container instances (the only target
 * type ECS has).
 */
export class ContainerInstanceAttributes {
  constructor(private readonly registry: ContainerInstanceRegistry) {}

  put(scope: Scope, clusterName: string, attributes: Attribute[]): Attribute[] {
    const changes = this.resolveAll(scope, clusterName, attributes);
    const customNames = new Map<ContainerInstanceRecord, Set<string | undefined>>();
    for (const { record, attribute } of changes) {
      if (!NAME.test(attribute.name ?? "")) throw new InvalidParameterException(Ec2Messages.attributeName(attribute.name ?? ""));
      if (attribute.value !== undefined && !VALUE.test(attribute.value)) {
        throw new InvalidParameterException(Ec2Messages.attributeValue(attribute.value));
      }
      let names = customNames.get(record);
      if (!names) customNames.set(record, (names = new Set((record.instance.attributes ?? []).filter((a) => !isBuiltIn(a.name!)).map((a) => a.name))));
      names.add(attribute.name);
      if (names.size > MAX_CUSTOM_ATTRIBUTES) throw new AttributeLimitExceededException(Ec2Messages.attributeLimit);
    }
    // All checked first, so a refused call changes nothing.
    const touched = new Set<ContainerInstanceRecord>();
    for (const { record, attribute } of changes) {
      const list = (record.instance.attributes ?? []).filter((a) => a.name !== attribute.name);
      list.push({ name: attribute.name, ...(attribute.value !== undefined ? { value: attribute.value } : {}) });
      record.instance.attributes = list;
      touched.add(record);
    }
    for (const record of touched) this.registry.attributesChanged(scope, record);
    return changes.map(({ record, attribute }) => row(record, attribute));
  }

  delete(scope: Scope, clusterName: string, attributes: Attribute[]): Attribute[] {
    const changes = this.resolveAll(scope, clusterName, attributes);
    for (const { record, attribute } of changes) {
      record.instance.attributes = (record.instance.attributes ?? []).filter((a) => a.name !== attribute.name);
      this.registry.attributesChanged(scope, record);
    }
    return changes.map(({ record, attribute }) => row(record, attribute));
  }

  /** Every attribute of every instance in the cluster, optionally one name (and value). */
  list(scope: Scope, clusterName: string, filter: { attributeName?: string; attributeValue?: string }): AttributeRow[] {
    if (filter.attributeValue !== undefined && filter.attributeName === undefined) {
      throw new InvalidParameterException("attributeName must be specified when attributeValue is specified.");
    }
    const rows: AttributeRow[] = [];
    for (const record of this.registry.inCluster(scope, clusterName)) {
      if (record.instance.status === "INACTIVE") continue;
      for (const a of record.instance.attributes ?? []) {
        if (filter.attributeName !== undefined && a.name !== filter.attributeName) continue;
        if (filter.attributeValue !== undefined && a.value !== filter.attributeValue) continue;
        rows.push(row(record, a));
      }
    }
    return rows;
  }

  private resolveAll(scope: Scope, clusterName: string, attributes: Attribute[]) {
    return attributes.map((attribute) => {
      if (attribute.targetType !== undefined && attribute.targetType !== "container-instance") {
        throw new InvalidParameterException(Ec2Messages.attributeTargetTypeRequired);
      }
      if (!attribute.targetId) throw new InvalidParameterException(Ec2Messages.attributeTargetIdRequired);
      const ref = attribute.targetId;
      const arnCluster = ref.startsWith("arn:") ? parseArn(ref)?.resource.split("/")[0] : undefined;
      const record = arnCluster && arnCluster !== clusterName ? undefined : this.registry.find(scope, clusterName, ref);
      if (!record || record.instance.status === "INACTIVE") throw new TargetNotFoundException(Ec2Messages.attributeTargetNotFound(ref));
      return { record, attribute };
    });
  }
}

function row(record: ContainerInstanceRecord, a: Attribute): AttributeRow {
  return {
    name: a.name,
    ...(a.value !== undefined ? { value: a.value } : {}),
    targetType: "container-instance",
    targetId: record.instance.containerInstanceArn!,
  };
}
