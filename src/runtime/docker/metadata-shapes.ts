/**
 * Task metadata v4 response shapes, filled from what the runtime saw in Docker
 * and the task's live status from the scheduler. Pure functions of their inputs.
 */
import { createHash } from "node:crypto";
import type { Task } from "@aws-sdk/client-ecs";
import type { ContainerState, TaskState } from "./task-state.js";
import { ecsLabels } from "./labels.js";

export interface NetworkInfo {
  subnet?: string;
  gateway?: string;
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

function containerStatus(c: ContainerState): string {
  return c.status === "CREATED" ? "CREATED" : c.status;
}

export function containerArn(task: TaskState, c: ContainerState, live: Task | undefined): string {
  const fromTask = live?.containers?.find((x) => x.name === c.spec.name)?.containerArn;
  if (fromTask) return fromTask;
  const s = task.spec;
  const h = createHash("sha256").update(`${s.taskArn}/${c.spec.name}`).digest("hex");
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:ecs:${s.region}:${s.account}:container/${s.clusterName}/${s.taskId}/${uuid}`;
}

export function containerMetadata(task: TaskState, c: ContainerState, live: Task | undefined, net: NetworkInfo): Record<string, unknown> {
  const s = task.spec;
  const liveContainer = live?.containers?.find((x) => x.name === c.spec.name);
  const lc = c.spec.logConfiguration;
  const prefix = net.subnet?.split("/")[1];
  const out: Record<string, unknown> = {
    DockerId: c.dockerId,
    Name: c.spec.name,
    DockerName: c.dockerName,
    Image: c.spec.image,
    ImageID: c.image?.digest ?? c.image?.id,
    Labels: ecsLabels(c.labels),
    DesiredStatus: live?.desiredStatus ?? (task.stopping ? "STOPPED" : "RUNNING"),
    KnownStatus: liveContainer?.lastStatus ?? containerStatus(c),
    Limits: { CPU: c.spec.cpu, Memory: c.spec.memory ?? s.memory ?? 0 },
    CreatedAt: iso(c.createdAt),
    StartedAt: iso(c.startedAt),
    FinishedAt: iso(c.finishedAt),
    Type: "NORMAL",
    ContainerARN: containerArn(task, c, live),
    Snapshotter: "overlayfs",
  };
  if (c.exitCode !== undefined) out["ExitCode"] = c.exitCode;
  // Bridge and host tasks show their bindings as ECS reports them (an instance's host port, not this machine's).
  if ((s.networkMode === "bridge" || s.networkMode === "host") && c.networkBindings.length) {
    out["Ports"] = c.networkBindings.map((b) => ({ ContainerPort: b.containerPort, Protocol: b.protocol, HostPort: b.hostPort, HostIp: b.bindIP }));
  }
  if (lc?.logDriver) {
    out["LogDriver"] = lc.logDriver;
    out["LogOptions"] = lc.options ?? {};
  }
  if (c.spec.healthCheck?.command?.length) {
    out["Health"] = { status: c.health, statusSince: iso(c.startedAt) };
  }
  if (task.privateIp) {
    out["Networks"] = [
      {
        NetworkMode: s.networkMode,
        IPv4Addresses: [task.privateIp],
        AttachmentIndex: 0,
        MACAddress: task.macAddress,
        IPv4SubnetCIDRBlock: net.subnet,
        PrivateDNSName: privateDnsName(task.privateIp, s.region),
        SubnetGatewayIpv4Address: net.gateway && prefix ? `${net.gateway}/${prefix}` : net.gateway,
      },
    ];
  }
  return stripUndefined(out);
}

export function taskMetadata(
  task: TaskState,
  live: Task | undefined,
  net: NetworkInfo,
  now: number,
  withTags: boolean,
): Record<string, unknown> {
  const s = task.spec;
  const out: Record<string, unknown> = {
    Cluster: s.clusterArn,
    TaskARN: s.taskArn,
    Family: s.family,
    Revision: String(s.revision),
    DesiredStatus: live?.desiredStatus ?? (task.stopping ? "STOPPED" : "RUNNING"),
    KnownStatus: live?.lastStatus ?? "RUNNING",
    // Task-level CPU is in vCPU (a float), container-level in units.
    Limits: { CPU: s.cpu !== undefined ? s.cpu / 1024 : undefined, Memory: s.memory },
    PullStartedAt: iso(task.pullStartedAt),
    PullStoppedAt: iso(task.pullStoppedAt),
    AvailabilityZone: s.availabilityZone,
    LaunchType: s.launchType,
    Containers: [...task.containers.values()].filter((c) => c.dockerId).map((c) => containerMetadata(task, c, live, net)),
    ClockDrift: { ClockErrorBound: 0.5, ReferenceTimestamp: iso(now), ClockSynchronizationStatus: "SYNCHRONIZED" },
    EphemeralStorageMetrics: { Utilized: 0, Reserved: 20496 },
    ServiceName: s.serviceName,
  };
  if (withTags) {
    out["TaskTags"] = Object.fromEntries(s.tags.map((t) => [t.key ?? "", t.value ?? ""]));
  }
  return stripUndefined(out);
}

/** Fake but well-formed credentials for the task role; stable per task and role. */
export interface TaskCredentials {
  RoleArn: string | undefined;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

export function taskCredentials(task: TaskState, now: number, secret: string): TaskCredentials {
  const s = task.spec;
  const h = createHash("sha256").update(`${s.taskArn}|${s.taskRoleArn}|${secret}`).digest();
  const keyId = "ASIA" + base32(h.subarray(0, 10)).slice(0, 16);
  return {
    RoleArn: s.taskRoleArn,
    AccessKeyId: keyId,
    SecretAccessKey: h.subarray(10, 40).toString("base64").slice(0, 40),
    Token: Buffer.concat([Buffer.from("ecs-sim:"), h]).toString("base64"),
    // The ECS agent hands out credentials valid for hours and refreshes well ahead.
    Expiration: new Date(now + 6 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

function base32(buf: Buffer): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
