import { z } from "zod";
import { Bool, Name, PaginationSchema, Str, StrList, TagsSchema } from "./common.js";

const ResourceSchema = z.object({
  name: Str.optional(),
  type: Str.optional(),
  doubleValue: z.number().optional(),
  longValue: z.number().int().optional(),
  integerValue: z.number().int().optional(),
  stringSetValue: StrList.optional(),
});

const AttributeSchema = z.object({
  name: Str,
  value: Str.optional(),
  targetType: z.enum(["container-instance"]).optional(),
  targetId: Str.optional(),
});

const VersionInfoSchema = z.object({
  agentVersion: Str.optional(),
  agentHash: Str.optional(),
  dockerVersion: Str.optional(),
});

export const RegisterContainerInstanceSchema = z.object({
  cluster: Str.optional(),
  instanceIdentityDocument: Str.optional(),
  instanceIdentityDocumentSignature: Str.optional(),
  totalResources: z.array(ResourceSchema).optional(),
  versionInfo: VersionInfoSchema.optional(),
  containerInstanceArn: Str.optional(),
  attributes: z.array(AttributeSchema).optional(),
  platformDevices: z.array(z.object({ id: Str, type: z.enum(["GPU"]) })).optional(),
  tags: TagsSchema.optional(),
});

export const DeregisterContainerInstanceSchema = z.object({
  cluster: Str.optional(),
  containerInstance: Str,
  force: Bool.optional(),
});

export const DescribeContainerInstancesSchema = z.object({
  cluster: Str.optional(),
  containerInstances: StrList,
  include: z.array(z.enum(["TAGS", "CONTAINER_INSTANCE_HEALTH"])).optional(),
});

export const ListContainerInstancesSchema = z.object({
  cluster: Str.optional(),
  filter: Str.optional(),
  status: z.enum(["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"]).optional(),
  ...PaginationSchema,
});

export const UpdateContainerInstancesStateSchema = z.object({
  cluster: Str.optional(),
  containerInstances: StrList,
  status: z.enum(["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"]),
});

export const UpdateContainerAgentSchema = z.object({
  cluster: Str.optional(),
  containerInstance: Str,
});

export const PutAttributesSchema = z.object({
  cluster: Str.optional(),
  attributes: z.array(AttributeSchema),
});

export const DeleteAttributesSchema = PutAttributesSchema;

export const ListAttributesSchema = z.object({
  cluster: Str.optional(),
  targetType: z.enum(["container-instance"]),
  attributeName: Str.optional(),
  attributeValue: Str.optional(),
  ...PaginationSchema,
});

export const DiscoverPollEndpointSchema = z.object({
  containerInstance: Str.optional(),
  cluster: Str.optional(),
  zoneId: Str.optional(),
});

/** The agent's state reports: accepted and acknowledged; the simulator drives its own tasks. */
export const SubmitStateChangeSchema = z
  .object({
    cluster: Str.optional(),
    task: Name.optional(),
  })
  .passthrough();
