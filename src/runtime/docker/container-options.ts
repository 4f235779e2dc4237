/**
 * Translating an ECS container definition into Docker create options. Pure: everything it
 * needs (image, network target, injected environment) is passed in.
 */
import type Docker from "dockerode";
import type { RuntimeContainerSpec, RuntimeTaskSpec } from "../types.js";
import { portKey } from "./port-publishing.js";

/** Docker refuses memory limits under 6 MiB. */
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
const MIB = 1024 * 1024;
const SECOND_NS = 1_000_000_000;

export interface NetworkTarget {
  /** awsvpc: join the pause container's namespace; bridge: the runtime's network; host; none. */
  mode: "container" | "bridge" | "host" | "none";
  pauseId?: string;
  networkName?: string;
  /** Only for bridge containers (awsvpc publishes on the pause container). */
  extraHosts?: string[];
}

export function taskVolumeName(spec: RuntimeTaskSpec, volume: string): string {
  return `ecs-sim-${spec.taskId}-${volume}`.replace(/[^a-zA-Z0-9_.-]/g, "_");
}

export function dockerContainerName(spec: RuntimeTaskSpec, container: string): string {
  // ECS agent style (ecs-<family>-<revision>-<container>-<id>), unique per task.
  return `ecs-${spec.family}-${spec.revision}-${container}-${spec.taskId}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

export function buildContainerOptions(
  spec: RuntimeTaskSpec,
  c: RuntimeContainerSpec,
  image: string,
  env: Record<string, string>,
  labels: Record<string, string>,
  net: NetworkTarget,
): Docker.ContainerCreateOptions {
  const host: Docker.HostConfig = {};
  switch (net.mode) {
    case "container":
      host.NetworkMode = `container:${net.pauseId}`;
      break;
    case "bridge":
      host.NetworkMode = net.networkName;
      host.ExtraHosts = net.extraHosts;
      // On a container instance the reported host port is the simulated instance's, not this machine's.
      host.PortBindings = portBindings(c, !spec.containerInstance);
      break;
    default:
      host.NetworkMode = net.mode;
  }

  // Limits: container memory, else the task's; the task cpu caps every container (Docker has no
  // shared per-task quota short of cgroup parents, so this is an upper bound per container).
  const memoryMiB = c.memory ?? spec.memory;
  if (memoryMiB) {
    host.Memory = Math.max(memoryMiB * MIB, MIN_MEMORY_BYTES);
    host.MemorySwap = host.Memory; // no swap, as on Fargate: pressure ends in an OOM kill
  }
  if (c.memoryReservation && (!host.Memory || c.memoryReservation * MIB < host.Memory)) {
    host.MemoryReservation = Math.max(c.memoryReservation * MIB, MIN_MEMORY_BYTES);
  }
  host.CpuShares = Math.max(c.cpu || 0, 2);
  if (spec.cpu) host.NanoCpus = Math.round((spec.cpu / 1024) * SECOND_NS);

  if (c.ulimits?.length) {
    host.Ulimits = c.ulimits.map((u) => ({ Name: String(u.name), Soft: u.softLimit ?? 0, Hard: u.hardLimit ?? 0 }));
  }
  if (c.readonlyRootFilesystem) host.ReadonlyRootfs = true;
  const lp = c.linuxParameters;
  if (lp?.initProcessEnabled) host.Init = true;
  if (lp?.tmpfs?.length) {
    host.Tmpfs = Object.fromEntries(
      lp.tmpfs.map((t) => [t.containerPath!, [`size=${t.size ?? 64}m`, ...(t.mountOptions ?? [])].join(",")]),
    );
  }
  if (lp?.sharedMemorySize) host.ShmSize = lp.sharedMemorySize * MIB;
  if (lp?.capabilities?.drop?.length) host.CapDrop = lp.capabilities.drop;
  if (lp?.capabilities?.add?.length) host.CapAdd = lp.capabilities.add;
  if (lp?.devices?.length) {
    host.Devices = lp.devices.map((d) => ({
      PathOnHost: d.hostPath!,
      PathInContainer: d.containerPath ?? d.hostPath!,
      CgroupPermissions: (d.permissions ?? ["read", "write", "mknod"]).map((p) => p[0]).join(""),
    }));
  }
  if (c.privileged) host.Privileged = true;

  const mounts: Docker.MountSettings[] = [];
  for (const m of c.mountPoints ?? []) {
    const vol = spec.volumes.find((v) => v.name === m.sourceVolume);
    if (!vol || !m.containerPath) continue;
    if (vol.host?.sourcePath) {
      mounts.push({ Type: "bind", Source: vol.host.sourcePath, Target: m.containerPath, ReadOnly: !!m.readOnly });
    } else {
      mounts.push({ Type: "volume", Source: taskVolumeName(spec, vol.name!), Target: m.containerPath, ReadOnly: !!m.readOnly });
    }
  }
  if (mounts.length) host.Mounts = mounts;

  const options: Docker.ContainerCreateOptions = {
    name: dockerContainerName(spec, c.name),
    Image: image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    HostConfig: host,
    StopTimeout: c.stopTimeout,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
  };
  if (c.command?.length) options.Cmd = c.command;
  if (c.entryPoint?.length) options.Entrypoint = c.entryPoint;
  if (c.workingDirectory) options.WorkingDir = c.workingDirectory;
  if (c.user) options.User = c.user;
  if (net.mode === "bridge") options.ExposedPorts = exposedPorts(c);
  if (c.healthCheck?.command?.length) {
    const hc = c.healthCheck;
    options.Healthcheck = {
      // ECS accepts the Docker forms: ["CMD-SHELL", "..."], ["CMD", ...], ["NONE"].
      Test: hc.command!,
      Interval: (hc.interval ?? 30) * SECOND_NS,
      // Docker 25+ checks every 5 s during the start period unless told otherwise; ECS has no
      // start interval, so every check is one interval after the last (older engines ignore it).
      StartInterval: (hc.interval ?? 30) * SECOND_NS,
      Timeout: (hc.timeout ?? 5) * SECOND_NS,
      Retries: hc.retries ?? 3,
      StartPeriod: (hc.startPeriod ?? 0) * SECOND_NS,
    };
  }
  return options;
}

/** The per-task network holder for awsvpc: owns the namespace, the published ports and the forwarder. */
export function buildPauseOptions(
  spec: RuntimeTaskSpec,
  image: string,
  labels: Record<string, string>,
  networkName: string,
  extraHosts: string[],
  forward: { inTaskPort: number; host: string; port: number },
): Docker.ContainerCreateOptions {
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const c of spec.containers) Object.assign(bindings, portBindings(c, false));
  return buildHolderOptions(pauseContainerName(spec), image, labels, networkName, extraHosts, forward, bindings);
}

export function pauseContainerName(spec: RuntimeTaskSpec): string {
  return `ecs-sim-pause-${spec.taskId}`;
}

/** A network holder publishing `bindings`; the warm pool's holders publish nothing. */
export function buildHolderOptions(
  name: string,
  image: string,
  labels: Record<string, string>,
  networkName: string,
  extraHosts: string[],
  forward: { inTaskPort: number; host: string; port: number },
  bindings: Record<string, { HostIp: string; HostPort: string }[]> = {},
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  for (const key of Object.keys(bindings)) exposed[key] = {};
  // busybox nc: `-ll -e` is a persistent server that pipes each connection to a fresh client,
  // which makes the simulator's task endpoint appear on 127.0.0.1:<inTaskPort> inside the task.
  // It listens on loopback only: reachable on the task's address, it would let any container
  // relay requests that the endpoint then takes for this task's own.
  const script = `exec /bin/busybox nc -ll -p ${forward.inTaskPort} 127.0.0.1 -e /bin/busybox nc ${forward.host} ${forward.port}`;
  return {
    name,
    Image: image,
    Entrypoint: ["/bin/busybox", "sh", "-c", script],
    Cmd: [],
    Labels: labels,
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: networkName,
      ExtraHosts: extraHosts,
      PortBindings: bindings,
      Memory: 16 * MIB,
      CpuShares: 2,
    },
  };
}

/**
 * Published on 127.0.0.1 only. awsvpc ports get ephemeral host ports (the task's own address
 * has the real port, and a fixed host port would collide between tasks); bridge honours hostPort
 * unless the task is on a container instance (see port-publishing.ts). Two mappings of one
 * container port get two bindings.
 */
function portBindings(c: RuntimeContainerSpec, honourHostPort: boolean): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of c.portMappings) {
    if (!p.containerPort) continue;
    (out[portKey(p)] ??= []).push({ HostIp: "127.0.0.1", HostPort: honourHostPort && p.hostPort ? String(p.hostPort) : "" });
  }
  return out;
}

function exposedPorts(c: RuntimeContainerSpec): Record<string, object> {
  const out: Record<string, object> = {};
  for (const p of c.portMappings) if (p.containerPort) out[portKey(p)] = {};
  return out;
}
