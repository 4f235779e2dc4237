import { imageMatches, qualifiedImageRef } from "../domain/images.js";
import { Messages } from "../errors/messages.js";
import { TaskStartError, type RuntimeTaskSpec } from "../runtime/types.js";

/**
 * Images a test has made unpullable ("at 3m the registry loses image X"). Checked before the
 * runtime pulls, so both runtimes fail the task the same way: STOPPED, TaskFailedToStart, with
 * the agent's CannotPullContainerError text.
 */
export class ImageFaults {
  private readonly blocked = new Set<string>();

  block(pattern: string): void {
    this.blocked.add(pattern);
  }

  unblock(pattern: string): void {
    this.blocked.delete(pattern);
  }

  list(): string[] {
    return [...this.blocked];
  }

  clear(): void {
    this.blocked.clear();
  }

  /** Throws the start error a pull of the first blocked image would give. */
  check(spec: RuntimeTaskSpec): void {
    if (this.blocked.size === 0) return;
    const failing = spec.containers.find((c) => [...this.blocked].some((p) => imageMatches(p, c.image)));
    if (!failing) return;
    const reason = Messages.imageNotFound(qualifiedImageRef(failing.image));
    throw new TaskStartError(reason, { [failing.name]: reason });
  }
}
