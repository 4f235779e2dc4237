/**
 * Follows a container's stdout/stderr (Docker's multiplexed log stream) into the LogStore,
 * one event per line. The returned promise settles when the container's output is drained,
 * which is how exit reports can wait for the last lines.
 */
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import type { LogStore } from "../../logs/store.js";

export async function captureLogs(
  docker: Docker,
  containerId: string,
  store: LogStore,
  group: string,
  stream: string,
): Promise<void> {
  store.createStream(group, stream);
  const source = (await docker.getContainer(containerId).logs({
    follow: true,
    stdout: true,
    stderr: true,
  })) as unknown as NodeJS.ReadableStream;
  const out = new PassThrough();
  const err = new PassThrough();
  const done = Promise.all([lines(out, (l) => store.append(group, stream, l)), lines(err, (l) => store.append(group, stream, l))]);
  docker.modem.demuxStream(source, out, err);
  await new Promise<void>((resolve) => {
    source.on("end", resolve);
    source.on("close", resolve);
    source.on("error", () => resolve());
  });
  out.end();
  err.end();
  await done;
}

function lines(input: PassThrough, emit: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let buffer = "";
    input.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        emit(buffer.slice(0, nl).replace(/\r$/, ""));
        buffer = buffer.slice(nl + 1);
      }
    });
    input.on("end", () => {
      if (buffer) emit(buffer);
      resolve();
    });
  });
}
