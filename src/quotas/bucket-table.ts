import { ALL_BUCKETS } from "./api-buckets.js";

/**
 * The bucket table as Markdown, for the README: generating it from the engine's own data keeps
 * the documentation from drifting (a test can compare the README section with this output).
 */
export function renderBucketTableMarkdown(): string {
  const rows = ALL_BUCKETS.map((b) => {
    const actions = b.actions.length > 0 ? b.actions.join(", ") : "one token per task launched";
    const source = b.source === "aws" ? "AWS" : "simulator default";
    return `| \`${b.id}\` | ${b.name} | ${actions} | ${b.burst} | ${b.sustained} | ${source} |`;
  });
  return [
    "| Bucket id | Category | Actions | Burst | Sustained (/s) | Source |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
