import type { AwsError } from "../errors/aws-errors.js";

/**
 * The AWS query protocol, which older SDKs (boto3 before about 1.34, the AWS CLI v1) still speak
 * to CloudWatch: a form-encoded `Action=…&Version=…` request with flattened members
 * (`MetricData.member.1.Dimensions.member.1.Name`), answered in XML.
 */

/** The flattened form as nested objects and lists; `numeric` and `boolean` name the members to convert. */
export function parseQueryParams(body: string, types: { numeric: ReadonlySet<string>; boolean: ReadonlySet<string> }): { action: string; input: Record<string, unknown> } {
  const params = new URLSearchParams(body);
  const action = params.get("Action") ?? "";
  const input: Record<string, unknown> = {};
  for (const [key, raw] of params) {
    if (key === "Action" || key === "Version") continue;
    const tokens = key.split(".");
    let node = input;
    for (let i = 0; i < tokens.length; ) {
      const name = tokens[i]!;
      if (tokens[i + 1] === "member") {
        // `Name.member.N` is element N (1-based) of list Name: a value, or an object going on.
        const list = (node[name] ??= []) as unknown[];
        const index = Number(tokens[i + 2]) - 1;
        if (i + 3 >= tokens.length) {
          list[index] = convert(name, raw, types);
          break;
        }
        node = (list[index] ??= {}) as Record<string, unknown>;
        i += 3;
      } else if (i === tokens.length - 1) {
        node[name] = convert(name, raw, types);
        break;
      } else {
        node = (node[name] ??= {}) as Record<string, unknown>;
        i++;
      }
    }
  }
  return { action, input };
}

function convert(name: string, raw: string, types: { numeric: ReadonlySet<string>; boolean: ReadonlySet<string> }): unknown {
  // A name can be numeric in one place and text in another (a datum's Value, a dimension's
  // Value): only text that reads as a number becomes one, and text members accept numbers.
  if (types.numeric.has(name) && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (types.boolean.has(name)) return raw === "true";
  return raw;
}

/** `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata>…` */
export function queryResponse(action: string, xmlns: string, result: unknown, requestId: string): string {
  const inner = result && typeof result === "object" && Object.keys(result).length > 0 ? `<${action}Result>${toXml(result)}</${action}Result>` : "";
  return `<${action}Response xmlns="${xmlns}">${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryError(err: AwsError, xmlns: string, requestId: string, code = err.code): string {
  const type = err.status >= 500 ? "Receiver" : "Sender";
  return `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escape(code)}</Code><Message>${escape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

function toXml(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join("");
  if (value && typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  }
  return escape(String(value));
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
