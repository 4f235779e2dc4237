/**
 * Where the task endpoint listens, how tasks reach it, and the check that a caller is the task
 * whose metadata or credentials it asks for.
 */
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type Docker from "dockerode";
import { isLoopbackHost as isLoopback, isWildcardHost as isWildcard } from "../../core/addresses.js";
export { localAddresses } from "../../core/addresses.js";
import type { DockerConfig } from "./config.js";
import type { TaskState } from "./task-state.js";

/** The name containers use for the task endpoint's host. */
export const TASK_ENDPOINT_ALIAS = "ecs-sim-host";

export interface TaskEndpointPlacement {
  /** Address the server binds. */
  bindHost: string;
  /** Host name or address in the URLs tasks get. */
  taskHost: string;
  /** `ExtraHosts` entries that make taskHost resolve inside containers. */
  extraHosts: string[];
  /** Address host-network tasks connect to (they share the host's addresses). */
  hostModeAddress: string;
  checkCaller: boolean;
  /** Set when `auto` could not use the gateway: why, for the log. */
  fallback?: string;
}

/**
 * `auto` binds the task network's gateway: an address only this machine and the containers on that
 * bridge can reach. It exists locally only when dockerd shares this network namespace (Linux, CI
 * runners, docker-in-docker); otherwise loopback, which Docker Desktop's host-gateway forwards to.
 * `gatewayUnusable` says why the gateway cannot be bound, when it cannot.
 */
export function placeTaskEndpoint(config: DockerConfig, gateway: string | undefined, gatewayUnusable?: string): TaskEndpointPlacement {
  let bindHost = config.metadataHost;
  let fallback: string | undefined;
  if (bindHost === "auto") {
    if (gateway && !gatewayUnusable) {
      bindHost = gateway;
    } else {
      bindHost = "127.0.0.1";
      fallback = gateway
        ? `the task network's gateway ${gateway} is not an address of this machine (${gatewayUnusable}; Docker Desktop, rootless or remote engine?)`
        : "the task network has no IPv4 gateway";
    }
  }
  const concrete = !isWildcard(bindHost) && !isLoopback(bindHost);
  const advertise = config.metadataAdvertiseHost ?? (concrete ? bindHost : "host-gateway");
  const byAddress = advertise === "host-gateway" || isIP(advertise) !== 0;
  return {
    bindHost,
    taskHost: byAddress ? TASK_ENDPOINT_ALIAS : advertise,
    extraHosts: byAddress ? [`${TASK_ENDPOINT_ALIAS}:${advertise}`] : [],
    hostModeAddress: concrete ? bindHost : "127.0.0.1",
    checkCaller: config.checkCallerAddress ?? !isLoopback(bindHost),
    ...(fallback ? { fallback } : {}),
  };
}

/**
 * Places and starts the task endpoint. Whether the gateway is an address of this machine is
 * learnt by binding it: interface listings omit a bridge that has no container attached yet.
 */
export async function listenTaskEndpoint(
  server: { listen(host: string, port: number): Promise<number> },
  config: DockerConfig,
  gateway: string | undefined,
  preferredPort?: number,
): Promise<{ endpoint: TaskEndpointPlacement; port: number; preferredTaken: boolean }> {
  let preferredTaken = false;
  // A port an earlier process used (adopted containers point at it) first, then the configured one.
  const listen = async (host: string): Promise<number> => {
    if (preferredPort) {
      try {
        return await server.listen(host, preferredPort);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        preferredTaken = true;
      }
    }
    return server.listen(host, config.metadataPort);
  };
  const endpoint = placeTaskEndpoint(config, gateway);
  try {
    return { endpoint, port: await listen(endpoint.bindHost), preferredTaken };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (config.metadataHost !== "auto" || !gateway || code !== "EADDRNOTAVAIL") throw err;
    const fallback = placeTaskEndpoint(config, gateway, code);
    return { endpoint: fallback, port: await listen(fallback.bindHost), preferredTaken };
  }
}

/**
 * Per-task secrets in metadata and credentials URIs. Drawn from the OS's CSPRNG, not the seeded
 * source: the seed is printed at startup, and a token derivable from it (or from the task ARN)
 * would let one task read another's credentials.
 */
export function newMetadataToken(taskId: string): string {
  return `${taskId}-${randomBytes(16).toString("hex")}`;
}

export function newCredentialsId(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Whether a connection from `caller` comes from the task's own network namespace: the task's
 * address (awsvpc: the pause container's; bridge: one of its containers'), or, for host-network
 * tasks, an address of this machine. Addresses of bridge containers are learnt on first use,
 * because a container may ask before its start has been inspected.
 */
export async function isTaskCaller(docker: Docker, task: TaskState, caller: string, hostAddresses: () => Set<string>): Promise<boolean> {
  if (task.networkMode === "host") return isLoopback(caller) || hostAddresses().has(caller);
  const known = (task.callerAddresses ??= new Set(task.privateIp ? [task.privateIp] : []));
  if (known.has(caller)) return true;
  const ids = [task.pauseId, ...[...task.containers.values()].map((c) => c.dockerId)].filter((id): id is string => !!id);
  for (const id of ids) {
    const info = await docker.getContainer(id).inspect().catch(() => undefined);
    for (const net of Object.values(info?.NetworkSettings?.Networks ?? {})) if (net.IPAddress) known.add(net.IPAddress);
  }
  return known.has(caller);
}
