import { z } from "zod";
import { Bool, Name, PaginationSchema, Str, StrList, TagsSchema } from "./common.js";

export const TagResourceSchema = z.object({ resourceArn: Str, tags: TagsSchema });
export const UntagResourceSchema = z.object({ resourceArn: Str, tagKeys: StrList });
export const ListTagsForResourceSchema = z.object({ resourceArn: Str });

export const PutAccountSettingSchema = z.object({ name: Name, value: Name, principalArn: Str.optional() });
export const PutAccountSettingDefaultSchema = z.object({ name: Name, value: Name });
export const DeleteAccountSettingSchema = z.object({ name: Str, principalArn: Str.optional() });
export const ListAccountSettingsSchema = z.object({
  name: Str.optional(),
  value: Str.optional(),
  principalArn: Str.optional(),
  effectiveSettings: Bool.optional(),
  ...PaginationSchema,
});
