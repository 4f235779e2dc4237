import { ecsOperation, type OperationTable } from "../operation.js";
import {
  DeleteAccountSettingSchema,
  ListAccountSettingsSchema,
  ListTagsForResourceSchema,
  PutAccountSettingDefaultSchema,
  PutAccountSettingSchema,
  TagResourceSchema,
  UntagResourceSchema,
} from "../schemas/tags-settings.js";
import { paginate } from "../../domain/pagination.js";
import type { Domain } from "./domain.js";

export function tagAndSettingOperations(d: Domain): OperationTable {
  return {
    TagResource: ecsOperation("TagResource", TagResourceSchema, (input, req) => {
      d.tags.tag(req.scope, input.resourceArn, input.tags);
      return {};
    }),
    UntagResource: ecsOperation("UntagResource", UntagResourceSchema, (input, req) => {
      d.tags.untag(req.scope, input.resourceArn, input.tagKeys);
      return {};
    }),
    ListTagsForResource: ecsOperation("ListTagsForResource", ListTagsForResourceSchema, (input, req) => ({
      tags: d.tags.list(req.scope, input.resourceArn),
    })),
    PutAccountSetting: ecsOperation("PutAccountSetting", PutAccountSettingSchema, (input, req) => ({
      setting: d.settings.put(req.scope, input.name, input.value, input.principalArn),
    })),
    PutAccountSettingDefault: ecsOperation("PutAccountSettingDefault", PutAccountSettingDefaultSchema, (input, req) => ({
      setting: d.settings.putDefault(req.scope, input.name, input.value),
    })),
    DeleteAccountSetting: ecsOperation("DeleteAccountSetting", DeleteAccountSettingSchema, (input, req) => ({
      setting: d.settings.delete(req.scope, input.name, input.principalArn),
    })),
    ListAccountSettings: ecsOperation("ListAccountSettings", ListAccountSettingsSchema, (input, req) => {
      const { page, nextToken } = paginate(d.settings.list(req.scope, input), { ...input, kind: "settings", defaultMax: 10 });
      return { settings: page, ...(nextToken ? { nextToken } : {}) };
    }),
  };
}
