import { z } from "zod";
import { Bool, CapacityProviderStrategySchema, PaginationSchema, Str, StrList, TagsSchema } from "./common.js";

const ClusterSettingSchema = z.object({
  name: z.literal("containerInsights"),
  value: z.enum(["enabled", "disabled", "enhanced"]),
});

// Members outside the model are dropped, as AWS ignores them: nothing unmodelled reaches the store.
const ClusterConfigurationSchema = z.object({
  executeCommandConfiguration: z
    .object({
      kmsKeyId: Str.optional(),
      logging: z.enum(["NONE", "DEFAULT", "OVERRIDE"]).optional(),
      logConfiguration: z
        .object({
          cloudWatchLogGroupName: Str.optional(),
          cloudWatchEncryptionEnabled: Bool.optional(),
          s3BucketName: Str.optional(),
          s3EncryptionEnabled: Bool.optional(),
          s3KeyPrefix: Str.optional(),
        })
        .optional(),
    })
    .optional(),
  managedStorageConfiguration: z
    .object({ kmsKeyId: Str.optional(), fargateEphemeralStorageKmsKeyId: Str.optional() })
    .optional(),
});

const ServiceConnectDefaultsSchema = z.object({ namespace: Str });

export const CreateClusterSchema = z.object({
  clusterName: Str.optional(),
  tags: TagsSchema.optional(),
  settings: z.array(ClusterSettingSchema).optional(),
  configuration: ClusterConfigurationSchema.optional(),
  capacityProviders: StrList.optional(),
  defaultCapacityProviderStrategy: CapacityProviderStrategySchema.optional(),
  serviceConnectDefaults: ServiceConnectDefaultsSchema.optional(),
});

export const DescribeClustersSchema = z.object({
  clusters: StrList.max(100).optional(),
  include: z.array(z.enum(["ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS"])).optional(),
});

export const ListClustersSchema = z.object({ ...PaginationSchema });

export const DeleteClusterSchema = z.object({ cluster: Str });

export const UpdateClusterSchema = z.object({
  cluster: Str,
  settings: z.array(ClusterSettingSchema).optional(),
  configuration: ClusterConfigurationSchema.optional(),
  serviceConnectDefaults: ServiceConnectDefaultsSchema.optional(),
});

export const UpdateClusterSettingsSchema = z.object({
  cluster: Str,
  settings: z.array(ClusterSettingSchema),
});

export const PutClusterCapacityProvidersSchema = z.object({
  cluster: Str,
  capacityProviders: StrList,
  defaultCapacityProviderStrategy: CapacityProviderStrategySchema,
});
