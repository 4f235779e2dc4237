/**
 * What the runtime remembers per task and per container between calls. Deferreds turn Docker's
 * event stream into promises that dependsOn, tests and close() can await.
 */
import type { ContainerHealth, RuntimeContainerSpec, RuntimeTaskSpec, StartedContainer } from "../types.js";
import type { TimerHandle } from "../../core/clock.js";
import type { ResolvedImage } from "./images.js";
import type { LogDestination } from "../container-logs.js";
import type { DockerNetworkMode } from "./port-publishing.js";

import { Deferred } from "../deferred.js";

export { Deferred };

export interface ContainerState {
  spec: RuntimeContainerSpec;
  /** Secret in this container's metadata URI: `<task id>-<32 random hex digits>`. */
  metadataToken: string;
  image?: ResolvedImage;
  dockerId?: string;
  dockerName?: string;
  status: "PENDING" | "CREATED" | "RUNNING" | "STOPPED";
  createdAt?: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  oom: boolean;
  health: ContainerHealth;
  networkBindings: NonNullable<StartedContainer["networkBindings"]>;
  labels: Record<string, string>;
  started: Deferred<void>;
  exited: Deferred<number | undefined>;
  healthy: Deferred<void>;
  startedEmitted: boolean;
  exitEmitted: boolean;
  /** An exit seen before container-started went out; sent right after it. */
  pendingExit?: { exitCode?: number; reason?: string };
  /** Resolves when the log follower has drained the container's output. */
  logsDone: Promise<void>;
  killTimer?: TimerHandle;
  /** Where its output goes; set when start() opens the task's log streams. */
  log?: LogDestination;
}

export interface TaskState {
  spec: RuntimeTaskSpec;
  /** The Docker network the task really has (host mode on a container instance may be isolated). */
  networkMode: DockerNetworkMode;
  credentialsId: string;
  containers: Map<string, ContainerState>;
  pauseId?: string;
  pauseName?: string;
  privateIp?: string;
  macAddress?: string;
  /** Source addresses accepted as this task on the task endpoint (see isTaskCaller). */
  callerAddresses?: Set<string>;
  volumes: string[];
  pullStartedAt?: number;
  pullStoppedAt?: number;
  stopping: boolean;
  removed: boolean;
  /** The pause container died while the task was live (reported once). */
  networkLost?: boolean;
}
