/**
 * The `docker` section of the simulator config. Everything that widens what a task can do to
 * the host is off by default; a refusal names the setting that would allow it.
 */
import { z } from "zod";

export const ImageRewriteSchema = z.object({
  /** A JavaScript regular expression matched against the whole image reference. */
  from: z.string().refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, "must be a valid regular expression"),
  /** Replacement, with $1.. for capture groups. */
  to: z.string(),
});

/**
 * ECR references become plain local names, so `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1`
 * runs the locally built `app:1`. Applied after the user's own rules.
 */
export const DEFAULT_IMAGE_REWRITES: z.infer<typeof ImageRewriteSchema>[] = [
  { from: "^\\d{12}\\.dkr\\.ecr(?:-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?/(.+)$", to: "$1" },
  // ECR Public mirrors of Docker Hub official images.
  { from: "^public\\.ecr\\.aws/docker/library/(.+)$", to: "$1" },
];

export const DockerConfigSchema = z
  .object({
    /** Leave containers, networks and volumes in place after a task ends or close() (debugging). */
    keepContainers: z.boolean().default(false),
    /** How long shutdown waits for launches in flight before removing everything anyway. */
    shutdownTimeoutMs: z.number().int().min(0).default(30_000),
    allowPrivileged: z.boolean().default(false),
    allowHostNetwork: z.boolean().default(false),
    /**
     * Host-mode tasks on simulated container instances. `isolated`: each task gets a network
     * namespace of its own on the task network, its ports published on 127.0.0.1 like a bridge
     * task's (placement keeps host ports apart per instance; instances never collide on this
     * machine). `host`: this machine's namespace, as on a real instance (needs allowHostNetwork;
     * tasks of two instances given the same port then collide here).
     */
    ec2HostNetwork: z.enum(["isolated", "host"]).default("isolated"),
    allowHostPidIpc: z.boolean().default(false),
    allowHostMounts: z.boolean().default(false),
    allowDevices: z.boolean().default(false),
    allowCapabilities: z.boolean().default(false),
    /** Tried in order before the defaults; the first match wins. */
    imageRewrites: z.array(ImageRewriteSchema).default([]),
    /** Turn off to keep ECR references as they are (e.g. with a real registry login). */
    defaultImageRewrites: z.boolean().default(true),
    /** Pull images that are not present locally (off: a missing image fails like a failed pull). */
    pull: z.boolean().default(true),
    secrets: z
      .object({
        /** Secret ARN, secret name, or SSM parameter name/ARN -> value. */
        values: z.record(z.string()).default({}),
        /** A JSON object file of the same shape, read at each task start (values win over it). */
        file: z.string().optional(),
      })
      .default({}),
    /** S3 ARN of an environmentFiles entry -> local path of a .env file. */
    environmentFiles: z.record(z.string()).default({}),
    /** Set AWS_ENDPOINT_URL in containers so SDKs inside talk to the simulator. */
    injectEndpointUrl: z.boolean().default(true),
    /** Container creations/starts and pulls in flight at once. */
    launchConcurrency: z.number().int().min(1).max(64).default(4),
    /**
     * Address the task endpoint (metadata, credentials, API calls of tasks) binds. `auto`: the
     * task network's gateway address when it is an address of this machine (Linux with a local
     * dockerd), else 127.0.0.1 (Docker Desktop forwards host-gateway to the host's loopback).
     */
    metadataHost: z.string().min(1).default("auto"),
    /**
     * Name or address tasks use to reach the task endpoint, when it is not the bind address: e.g.
     * the simulator's own container name when it runs in a container on the task network.
     */
    metadataAdvertiseHost: z.string().min(1).optional(),
    /**
     * Answer metadata and credentials only to connections from the task's own addresses. Default:
     * on, unless the endpoint is bound on loopback (where Docker's port forwarding hides sources).
     */
    checkCallerAddress: z.boolean().optional(),
    /** Let tasks reach the admin API (/_sim/) through their AWS_ENDPOINT_URL. */
    allowTaskAdminAccess: z.boolean().default(false),
    /** 0 = an ephemeral port. */
    metadataPort: z.number().int().min(0).max(65535).default(0),
    /**
     * Port a forwarder listens on inside each awsvpc task's network namespace, so SDKs see the
     * credentials endpoint on 127.0.0.1 (their plain-HTTP host rule) and the metadata URI stays
     * task-local as on Fargate.
     */
    inTaskPort: z.number().int().min(1).max(65535).default(51679),
    /**
     * Image of the per-task network holder (awsvpc). Needs busybox's sh and nc. Unset: the local
     * test image when present, else busybox:latest (pulled).
     */
    pauseImage: z.string().optional(),
    /**
     * Network holders of awsvpc tasks kept created and started ahead of need (0: none). A task
     * without published ports takes one instead of starting its own, which makes its launch about
     * as fast as a bridge task's. Not used with --state-dir (holders there carry their task's labels).
     */
    awsvpcWarmPool: z.number().int().min(0).max(16).default(2),
    /** Name of the user-defined bridge network tasks join; default `ecs-sim-<instanceId>`. */
    networkName: z.string().optional(),
    /** How long start() waits for a dependsOn condition before failing the task. */
    dependencyTimeoutMs: z.number().int().min(0).default(180_000),
    /** Docker engine address; default DOCKER_HOST or the local socket. */
    dockerHost: z.string().optional(),
  })
  .default({});

export type DockerConfig = z.infer<typeof DockerConfigSchema>;
export type DockerConfigInput = z.input<typeof DockerConfigSchema>;

export function parseDockerConfig(input: unknown): DockerConfig {
  return DockerConfigSchema.parse(input ?? {});
}
