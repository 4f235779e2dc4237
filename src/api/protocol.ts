/**
 * The awsJson1_1 wire protocol of ECS: target header, credential scope, and
 * response encoding with timestamps as epoch seconds.
 */
export const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
export const LOGS_TARGET_PREFIX = "Logs_20140328.";
export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

export interface Caller {
  account: string;
  region: string;
  accessKeyId?: string;
}

/**
 * Region comes from the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`);
 * the account from the access key when it is 12 digits (a convention of local emulators), else
 * the configured default. Signatures are accepted as they are.
 */
export function callerFrom(authorization: string | undefined, defaults: { account: string; region: string }): Caller {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/.exec(authorization ?? "");
  if (!m) return { ...defaults };
  const accessKeyId = m[1]!;
  const region = /^[a-z]{2}(-[a-z]+)+-\d$/.test(m[2]!) ? m[2]! : defaults.region;
  const account = /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaults.account;
  return { account, region, accessKeyId };
}

/**
 * JSON with every Date as epoch seconds (with millisecond fraction), as ECS sends them.
 *
 * A replacer function would run on every value of every response (it was the largest single
 * cost of a DescribeTasks answer); instead Date's own toJSON answers epoch seconds for the span
 * of this one synchronous stringify, so the rest stays native. Nothing else can run in between,
 * and the original is restored even if stringify throws.
 */
export function encodeBody(value: unknown): string {
  const isoToJson = Date.prototype.toJSON;
  Date.prototype.toJSON = epochSecondsToJson as unknown as Date["toJSON"];
  try {
    return JSON.stringify(value);
  } finally {
    Date.prototype.toJSON = isoToJson;
  }
}

function epochSecondsToJson(this: Date): number {
  return this.getTime() / 1000;
}
