import type { ArnScope } from "../state/arn.js";

/** Who is asking and where: every domain call is about one account in one region. */
export type Scope = ArnScope;

export const DEFAULT_CLUSTER = "default";
