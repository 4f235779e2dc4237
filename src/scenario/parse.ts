import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ScenarioSchema, type Scenario } from "./schema.js";

export class ScenarioError extends Error {}

let yamlModule: typeof Yaml | undefined;
/** The YAML parser loads on the first scenario: a simulator started without one never needs it. */
function yaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}

/**
 * Reads a scenario from YAML or JSON text (JSON is YAML too, so one parser serves both) and
 * validates it. Every error names the field and, where the text has it, the line and column, so
 * a typo in a 200-line incident file is found at once.
 */
export function parseScenario(text: string, source = "scenario"): Scenario {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    throw new ScenarioError(`${source}:${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`);
  }
  const result = ScenarioSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new ScenarioError(result.error.issues.map((issue) => describeIssue(issue, doc, lines, source)).join("\n"));
}

export function readScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(err as Error).message}`);
  }
  return parseScenario(text, path);
}

/** A scenario given as an object (programmatic API, POST /_sim/scenario with JSON) or as text. */
export function toScenario(input: unknown, source = "scenario"): Scenario {
  if (typeof input === "string") return parseScenario(input, source);
  const result = ScenarioSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ScenarioError(result.error.issues.map((i) => `${source}: ${pathText(i.path)}: ${i.message}`).join("\n"));
}

function describeIssue(issue: z.ZodIssue, doc: ReturnType<typeof parseDocument>, lines: LineCounter, source: string): string {
  // The deepest node of the path that exists in the document: a missing key points at its parent.
  let where = "";
  for (let depth = issue.path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth), true);
    if (yaml().isNode(node) && node.range) {
      const pos = lines.linePos(node.range[0]);
      where = `:${pos.line}:${pos.col}`;
      break;
    }
  }
  return `${source}${where}: ${pathText(issue.path)}: ${issue.message}`;
}

function pathText(path: (string | number)[]): string {
  return path.length === 0 ? "(root)" : path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${p}`)).join("");
}
