import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";

/** The built CLI (`npm test` builds dist/ first): tested as users run it, signals included. */
export const CLI = join(import.meta.dirname, "../../dist/cli.js");

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** The endpoint from the ready line. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => { stdout: string; stderr: string };
}

export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const m = /ready at (http:\/\/[^\s]+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then(({ code, signal }) => reject(new Error(`exited ${code ?? signal}: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

/** The prefix of the Docker instance label of a simulator running as process `pid` on this host. */
export function instancePrefix(pid: number): string {
  return `${hostname().replace(/[^A-Za-z0-9-]/g, "-")}.${pid}.`;
}
