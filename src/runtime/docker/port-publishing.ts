/**
 * Which Docker network a task really gets, and how its port mappings are published on this
 * machine. Every simulated container instance shares the one local engine, i.e. one real host:
 * the host port ECS assigns on an instance (49153 on two instances at once, or the same fixed
 * port) cannot always be the real one. So a task on a container instance publishes each mapping
 * on a free port Docker picks on 127.0.0.1, and reports the instance's host port as ECS does.
 */
import type Docker from "dockerode";
import type { NetworkBindingInfo, RuntimeContainerSpec, RuntimeTaskSpec } from "../types.js";
import type { DockerConfig } from "./config.js";

export type DockerNetworkMode = "awsvpc" | "bridge" | "host" | "none";

/**
 * The network the containers join. Host mode on a container instance runs in a namespace of its
 * own on the task network unless `docker.ec2HostNetwork` is `host`: sharing this machine's
 * namespace would make tasks of two simulated instances collide on a port placement gave both.
 */
export function dockerNetworkMode(spec: RuntimeTaskSpec, config: Pick<DockerConfig, "ec2HostNetwork">): DockerNetworkMode {
  const mode = spec.networkMode || "awsvpc";
  if (mode === "host") return spec.containerInstance && config.ec2HostNetwork === "isolated" ? "bridge" : "host";
  if (mode === "bridge" || mode === "none") return mode;
  return "awsvpc";
}

export function portKey(p: { containerPort?: number; protocol?: string }): string {
  return `${p.containerPort}/${(p.protocol ?? "tcp").toLowerCase()}`;
}

/** The bindings Docker made for a container, one per published mapping, in portMappings order. */
export function publishedBindings(c: RuntimeContainerSpec, info: Docker.ContainerInspectInfo): NetworkBindingInfo[] {
  return pairBindings(c, info).map((x) => x.binding);
}

/**
 * A task on a container instance: what ECS reports (the host port placement gave each mapping,
 * on 0.0.0.0 as the agent reports bridge and host bindings) next to where it really answers.
 */
export function instanceBindings(
  c: RuntimeContainerSpec,
  hostPorts: readonly number[] | undefined,
  info: Docker.ContainerInspectInfo,
): { reported: NetworkBindingInfo[]; published: NetworkBindingInfo[] } {
  const pairs = pairBindings(c, info);
  return {
    reported: pairs.map(({ index, binding }) => ({
      bindIP: "0.0.0.0",
      containerPort: binding.containerPort,
      hostPort: hostPorts?.[index] || c.portMappings[index]?.hostPort || binding.containerPort,
      protocol: binding.protocol,
    })),
    published: pairs.map((x) => x.binding),
  };
}

/** Each mapping with the Docker binding that serves it (the n-th mapping of a port gets its n-th binding). */
function pairBindings(c: RuntimeContainerSpec, info: Docker.ContainerInspectInfo): { index: number; binding: NetworkBindingInfo }[] {
  const ports = info.NetworkSettings?.Ports ?? {};
  const seen = new Map<string, number>();
  const out: { index: number; binding: NetworkBindingInfo }[] = [];
  c.portMappings.forEach((p, index) => {
    if (!p.containerPort) return;
    const key = portKey(p);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    // IPv4 only: the engine may list an IPv6 twin of a binding, which is the same published port.
    const bindings = (ports[key] ?? []).filter((b) => !b.HostIp || !b.HostIp.includes(":"));
    const b = bindings[nth];
    if (!b) return;
    out.push({
      index,
      binding: { bindIP: b.HostIp || "127.0.0.1", containerPort: p.containerPort, hostPort: Number(b.HostPort), protocol: key.split("/")[1]! },
    });
  });
  return out;
}
