import { SerializationException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";

/**
 * The request body of a JSON-protocol call as an object. Nesting is measured on the raw text
 * before parsing: a value thousands of levels deep parses fine but overflows the stack of every
 * later recursive walk (validation, cloning, encoding), so it is refused before anything sees it.
 */
export function parseJsonBody(body: unknown, maxDepth: number): Record<string, unknown> {
  if (body === undefined || body === null || body === "") return {};
  const text = String(body);
  if (nestingDepth(text, maxDepth) > maxDepth) throw new SerializationException(Messages.jsonTooDeep(maxDepth));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SerializationException(Messages.invalidJson);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SerializationException(Messages.invalidJson);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The deepest bracket nesting of JSON text, ignoring brackets inside strings; stops counting once
 * past `stopAbove`. Malformed text yields some number and is left for JSON.parse to refuse.
 */
export function nestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}
