/**
 * What a task definition may do to the host. Each refusal is a TaskStartError (the task ends
 * TaskFailedToStart, as Fargate would for an unsupported parameter) whose reason names the
 * docker.* setting that allows it, so the fix is one config line away.
 */
import type { RuntimeTaskSpec } from "../types.js";
import { TaskStartError } from "../types.js";
import type { DockerConfig } from "./config.js";
import { dockerNetworkMode } from "./port-publishing.js";

export function checkSafety(spec: RuntimeTaskSpec, config: DockerConfig): void {
  const refuse = (what: string, setting: keyof DockerConfig, container?: string): never => {
    const reason = `CannotStartContainerError: ecs-sim refuses ${what}${container ? ` (container '${container}')` : ""}; set docker.${setting}: true to allow it`;
    throw new TaskStartError(reason, container ? { [container]: reason } : {});
  };
  if (dockerNetworkMode(spec, config) === "host" && !config.allowHostNetwork) refuse("networkMode 'host'", "allowHostNetwork");
  if (spec.pidMode === "host" && !config.allowHostPidIpc) refuse("pidMode 'host'", "allowHostPidIpc");
  if (spec.ipcMode === "host" && !config.allowHostPidIpc) refuse("ipcMode 'host'", "allowHostPidIpc");
  const hostVolumes = new Set(spec.volumes.filter((v) => v.host?.sourcePath).map((v) => v.name));
  for (const c of spec.containers) {
    if (c.privileged && !config.allowPrivileged) refuse("privileged containers", "allowPrivileged", c.name);
    if ((c.linuxParameters?.devices?.length ?? 0) > 0 && !config.allowDevices) refuse("host devices", "allowDevices", c.name);
    if ((c.linuxParameters?.capabilities?.add?.length ?? 0) > 0 && !config.allowCapabilities) {
      refuse(`added capabilities (${c.linuxParameters!.capabilities!.add!.join(", ")})`, "allowCapabilities", c.name);
    }
    for (const m of c.mountPoints ?? []) {
      if (m.sourceVolume && hostVolumes.has(m.sourceVolume) && !config.allowHostMounts) {
        refuse(`host bind mounts (volume '${m.sourceVolume}')`, "allowHostMounts", c.name);
      }
    }
  }
}
