/**
 * dependsOn as the ECS agent applies it, shared by both runtimes: a container starts once every
 * condition holds (START: the dependency started; COMPLETE: it exited; SUCCESS: it exited 0;
 * HEALTHY: its health check passed). A condition that can no longer hold, or a wait longer than
 * the timeout, fails the task start with a CannotStartContainerError naming both containers.
 */
import type { ContainerDependency } from "@aws-sdk/client-ecs";
import type { Clock, TimerHandle } from "../core/clock.js";
import { Messages } from "../errors/messages.js";
import { TaskStartError } from "./types.js";

/** What a runtime knows about a container that others may depend on. */
export interface DependencyTarget {
  started: { promise: Promise<void> };
  exited: { promise: Promise<number | undefined> };
  healthy: { promise: Promise<void>; settled: boolean };
}

export async function waitForDependencies(
  containerName: string,
  dependsOn: ContainerDependency[],
  lookup: (name: string) => DependencyTarget | undefined,
  clock: Clock,
  timeoutMs: number,
  /** Settles the wait early (the task is going away), releasing its timer. */
  abandoned?: Promise<void>,
): Promise<void> {
  const waits = dependsOn.map(async (d) => {
    const dep = d.containerName ? lookup(d.containerName) : undefined;
    if (!dep) return;
    const unmet = (why: string): TaskStartError => {
      const reason = Messages.dependencyNotMet(d.condition ?? "START", d.containerName!, containerName, why);
      return new TaskStartError(reason, { [containerName]: reason });
    };
    switch (d.condition) {
      case "COMPLETE":
        await dep.exited.promise;
        return;
      case "SUCCESS": {
        const code = await dep.exited.promise;
        if (code !== 0) throw unmet(`it exited with code ${code ?? "unknown"}`);
        return;
      }
      case "HEALTHY":
        await Promise.race([
          dep.healthy.promise,
          dep.exited.promise.then((code) => {
            if (!dep.healthy.settled) throw unmet(`it exited with code ${code ?? "unknown"} before becoming healthy`);
          }),
        ]);
        return;
      default:
        await dep.started.promise;
    }
  });
  if (!waits.length) return;
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => {
      const reason = Messages.dependencyTimedOut(containerName);
      reject(new TaskStartError(reason, { [containerName]: reason }));
    }, timeoutMs);
  });
  timeout.catch(() => undefined);
  try {
    await Promise.race([Promise.all(waits), timeout, ...(abandoned ? [abandoned] : [])]);
  } finally {
    clock.clearTimeout(timer);
  }
}
