/**
 * TaskRuntime on a real Docker engine. The scheduler drives the lifecycle;
 * this class turns a RuntimeTaskSpec into containers and reports what Docker says happened to
 * them, learned from one label-filtered event stream.
 *
 * awsvpc tasks get a small "pause" container that owns the network namespace (the task's real
 * address, published ports, and a forwarder to the metadata server on 127.0.0.1); the task's
 * containers join it, so they reach each other on localhost as on Fargate.
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import PQueue from "p-queue";
import type { Task } from "@aws-sdk/client-ecs";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { Messages } from "../../errors/messages.js";
import { LogStore } from "../../logs/store.js";
import { ContainerLogs } from "../container-logs.js";
import { waitForDependencies } from "../dependencies.js";
import {
  TaskStartError,
  type RuntimeEvent,
  type RuntimeListener,
  type RuntimeTaskSpec,
  type StartResult,
  type StartedContainer,
  type StopRequest,
  type TaskRuntime,
  type TaskUsage,
} from "../types.js";
import { usageFromStats, type DockerStats } from "./stats.js";
import { DockerConfigSchema, type DockerConfig, type DockerConfigInput } from "./config.js";
import { createDockerClient } from "./client.js";
import { buildContainerOptions, buildHolderOptions, buildPauseOptions, pauseContainerName, taskVolumeName, type NetworkTarget } from "./container-options.js";
import { HolderPool, type PooledHolder } from "./holder-pool.js";
import { DockerEventStream, type DockerContainerEvent } from "./event-stream.js";
import { cannotPullReason, inspectImage, pullImage, rewriteImage, type ResolvedImage } from "./images.js";
import { LABEL_INSTANCE, LABEL_ROLE, LABEL_STATE, LABEL_TASK_ARN, containerLabels, taskLabels } from "./labels.js";
import { captureLogs } from "./log-capture.js";
import { removeLeftovers, type LeftoverReport } from "./leftovers.js";
import { MetadataServer, type MetadataReply } from "./metadata-server.js";
import { containerMetadata, taskCredentials, taskMetadata, type NetworkInfo } from "./metadata-shapes.js";
import { checkSafety } from "./safety.js";
import { dockerNetworkMode, instanceBindings, publishedBindings } from "./port-publishing.js";
import { isTaskCaller, listenTaskEndpoint, localAddresses, newCredentialsId, newMetadataToken, type TaskEndpointPlacement } from "./task-endpoint.js";
import { loadSecretValues, resolveEnvironmentFiles, resolveSecrets } from "./secrets.js";
import { Deferred, type ContainerState, type TaskState } from "./task-state.js";

export interface DockerRuntimeOptions {
  clock: Clock;
  logger: Logger;
  listener: RuntimeListener;
  /** The parsed `docker` section (or raw input: it is parsed here). */
  config: DockerConfig | DockerConfigInput;
  instanceId: string;
  /** The simulator's API, e.g. http://127.0.0.1:4599; containers reach it through the metadata server. */
  simulatorEndpoint: string | (() => string);
  /** Live task state for metadata DesiredStatus/KnownStatus. */
  lookupTask: (taskArn: string) => Task | undefined;
  /** Shared with the simulated runtime and the Logs API; one is created when absent. */
  logStore?: LogStore;
  /** Output of containers without awslogs (GET /_sim/tasks/<id>/logs); one is created when absent. */
  localLogStore?: LogStore;
  /** Create missing awslogs groups instead of failing the task start as Fargate does. */
  autoCreateLogGroups?: boolean;
  /** For tests: an existing client. */
  docker?: Docker;
  /**
   * With `--state-dir`: a key of the directory. Everything is labelled with it, survives shutdown,
   * and is adopted (or removed) by the next simulator on the same directory.
   */
  stateKey?: string;
  /** The metadata port an earlier process used: adopted containers' forwarders point at it. */
  preferredMetadataPort?: number;
}

/** Tries at removing the instance network while the engine still counts endpoints of removed containers. */
const NETWORK_REMOVE_ATTEMPTS = 10;
/** Upper bound on waiting for a container's last log lines before reporting its exit. */
const LOG_DRAIN_MS = 2000;
/**
 * Launch-queue priorities: the later steps of a task already under way go before the first step
 * of the next one, so a burst of tasks comes up one after another instead of all at the very end;
 * the warm pool refills only when no launch waits.
 */
const FIRST_STEP = 0;
const NEXT_STEP = 1;
const LAST_STEP = 2;
const REFILL = -1;

interface Infra {
  networkName: string;
  net: NetworkInfo;
  metadataPort: number;
  endpoint: TaskEndpointPlacement;
}

export class DockerRuntime implements TaskRuntime {
  readonly kind = "docker" as const;
  readonly config: DockerConfig;
  readonly logs: LogStore;
  readonly docker: Docker;
  private readonly containerLogs: ContainerLogs;

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly listener: RuntimeListener;
  private readonly instanceId: string;
  private readonly lookupTask: (taskArn: string) => Task | undefined;
  private readonly queue: PQueue;
  private readonly tasks = new Map<string, TaskState>();
  private readonly byDockerId = new Map<string, { task: TaskState; container: ContainerState }>();
  /** Network holders (pause containers) by Docker id: their death takes the task's network. */
  private readonly byPauseId = new Map<string, TaskState>();
  private readonly byMetadataToken = new Map<string, { task: TaskState; container: ContainerState }>();
  private readonly byCredentialsId = new Map<string, TaskState>();
  /** Task-role credentials handed out, by access key id, so signature checking can accept them. */
  private readonly issuedKeys = new Map<string, { secretAccessKey: string; sessionToken: string; taskArn: string }>();
  private readonly pulls = new Map<string, Promise<ResolvedImage>>();
  /** prepare()/start() calls not yet returned: shutdown waits for them before removing. */
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly events: DockerEventStream;
  private readonly server: MetadataServer;
  /** Mixed into credentials so they differ per simulator run (they are never replayed). */
  private readonly credentialsSecret = randomBytes(16).toString("hex");
  private infra?: Promise<Infra>;
  private createdNetwork = false;
  private pauseImage?: Promise<string>;
  private closed = false;
  private readonly stateKey?: string;
  private readonly preferredMetadataPort?: number;
  private boundMetadataPort?: number;
  private readonly pool?: HolderPool;

  constructor(opts: DockerRuntimeOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.listener = opts.listener;
    this.instanceId = opts.instanceId;
    this.lookupTask = opts.lookupTask;
    this.config = DockerConfigSchema.parse(opts.config ?? {});
    this.logs = opts.logStore ?? new LogStore(opts.clock);
    this.containerLogs = new ContainerLogs({
      cloudwatch: this.logs,
      local: opts.localLogStore ?? new LogStore(opts.clock),
      autoCreateGroups: opts.autoCreateLogGroups ?? false,
    });
    this.docker = opts.docker ?? createDockerClient(this.config.dockerHost);
    this.queue = new PQueue({ concurrency: this.config.launchConcurrency });
    if (opts.stateKey) this.stateKey = opts.stateKey;
    if (opts.preferredMetadataPort) this.preferredMetadataPort = opts.preferredMetadataPort;
    // Adopted containers carry an earlier instance's label; with a state dir, the state label finds them all.
    const ownLabel = this.stateKey ? `${LABEL_STATE}=${this.stateKey}` : `${LABEL_INSTANCE}=${this.instanceId}`;
    this.events = new DockerEventStream(this.docker, ownLabel, (e) => this.onDockerEvent(e), this.logger);
    if (this.config.awsvpcWarmPool > 0 && !this.stateKey) {
      this.pool = new HolderPool({
        size: this.config.awsvpcWarmPool,
        create: (name) => this.createPooledHolder(name),
        remove: (id) => this.docker.getContainer(id).remove({ force: true }).catch((err: Error) => this.ignoreGone(err)),
        logger: this.logger,
        namePrefix: `ecs-sim-pause-pool-${this.instanceId}`,
      });
    }
    this.server = new MetadataServer({
      route: (path, caller) => this.metadataRoute(path, caller),
      proxyTarget: opts.simulatorEndpoint,
      logger: this.logger,
      allowAdmin: this.config.allowTaskAdminAccess,
    });
  }

  /** Port of the metadata/credentials/proxy server on the host (after the first prepare()). */
  async metadataPort(): Promise<number> {
    return (await this.ready()).metadataPort;
  }

  /** Where the task endpoint listens (after the first prepare()), e.g. the task network's gateway. */
  async taskEndpoint(): Promise<{ host: string; port: number }> {
    const infra = await this.ready();
    return { host: infra.endpoint.bindHost, port: infra.metadataPort };
  }

  /** The secret of task-role credentials this runtime issued and whose task still exists. */
  issuedCredentials(accessKeyId: string): { secretAccessKey: string; sessionToken: string } | undefined {
    const key = this.issuedKeys.get(accessKeyId);
    return key && { secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken };
  }

  /** Resolves when the warm pool of awsvpc network holders has no creation in flight; answers how many are ready. */
  async warmPoolSettled(): Promise<number> {
    await this.pool?.settled();
    return this.pool?.readyCount ?? 0;
  }

  /** Removes containers, networks and volumes left by earlier ecs-sim instances (never this one's). */
  removeLeftovers(): Promise<LeftoverReport> {
    return removeLeftovers(this.docker, this.instanceId, this.logger);
  }

  // --- TaskRuntime ---

  prepare(spec: RuntimeTaskSpec): Promise<void> {
    return this.track(this.prepareNow(spec));
  }

  start(spec: RuntimeTaskSpec): Promise<StartResult> {
    return this.track(this.startNow(spec));
  }

  private async prepareNow(spec: RuntimeTaskSpec): Promise<void> {
    this.assertOpen();
    checkSafety(spec, this.config);
    await this.ready();
    const task = this.taskState(spec);
    task.pullStartedAt = this.clock.now();
    const reasons: Record<string, string> = {};
    let firstReason: string | undefined;
    await Promise.all(
      [...task.containers.values()].map(async (c) => {
        try {
          c.image = await this.ensureImage(rewriteImage(c.spec.image, this.config));
        } catch (err) {
          const reason = cannotPullReason(c.spec.image, (err as Error).message);
          reasons[c.spec.name] = reason;
          firstReason ??= reason;
        }
      }),
    );
    if (firstReason) throw new TaskStartError(firstReason, reasons);
    if (this.isAwsvpc(spec)) {
      await this.resolvePauseImage();
      this.pool?.fill();
    }
    task.pullStoppedAt = this.clock.now();
  }

  private async startNow(spec: RuntimeTaskSpec): Promise<StartResult> {
    if (!this.tasks.get(spec.taskArn)?.pullStoppedAt) await this.prepareNow(spec);
    const infra = await this.ready();
    const task = this.tasks.get(spec.taskArn)!;

    // Secrets and env files first: a missing one must fail before anything runs.
    const secretValues = await loadSecretValues(this.config);
    const extraEnv = new Map<string, { files: Record<string, string>; secrets: Record<string, string> }>();
    for (const c of task.containers.values()) {
      const files = await resolveEnvironmentFiles(c.spec.name, c.spec.environmentFiles, this.config);
      const secrets = resolveSecrets(c.spec.name, c.spec.secrets, secretValues);
      extraEnv.set(c.spec.name, { files, secrets });
    }
    // Then the log driver: a missing awslogs group fails the task before any container exists.
    const logs = this.containerLogs.open(spec);
    for (const c of task.containers.values()) c.log = logs.get(c.spec.name);

    await this.createVolumes(task);
    const { net, holderStarted } = await this.networkTarget(task, infra);

    for (const c of task.containers.values()) {
      const extra = extraEnv.get(c.spec.name)!;
      const env = this.containerEnv(task, c, infra, extra.files, extra.secrets);
      const options = buildContainerOptions(spec, c.spec, c.image!.local, env, c.labels, net);
      await this.queue.add(
        async () => {
          this.assertOpen();
          const created = await this.docker.createContainer(options);
          c.dockerId = created.id;
          c.dockerName = options.name;
          c.createdAt = this.clock.now();
          c.status = "CREATED";
          this.byDockerId.set(created.id, { task, container: c });
        },
        { priority: NEXT_STEP },
      );
    }
    // The holder started while the containers were created; they can only start in a running one.
    await holderStarted;

    const started: StartedContainer[] = [];
    let failure: Error | undefined;
    await Promise.all(
      [...task.containers.values()].map(async (c) => {
        try {
          const result = await this.launch(task, c);
          if (result) started.push(result);
        } catch (err) {
          failure ??= err as Error;
        }
      }),
    );
    if (failure && !task.stopping) {
      throw failure instanceof TaskStartError ? failure : new TaskStartError(`CannotStartContainerError: ${failure.message}`);
    }
    const order = [...task.containers.keys()];
    started.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const result: StartResult = { containers: started };
    if (task.privateIp) result.privateIp = task.privateIp;
    if (task.macAddress) result.macAddress = task.macAddress;
    return result;
  }

  /** One stats read per running container (Docker samples CPU over its own short window). */
  async usage(taskArn: string): Promise<TaskUsage | undefined> {
    const task = this.tasks.get(taskArn);
    const running = [...(task?.containers.values() ?? [])].filter((c) => c.status === "RUNNING" && c.dockerId);
    if (!task || running.length === 0) return undefined;
    const stats = await Promise.all(
      running.map((c) => this.docker.getContainer(c.dockerId!).stats({ stream: false }).then((s) => s as DockerStats, () => undefined)),
    );
    const read = stats.filter((s): s is DockerStats => s !== undefined);
    return read.length > 0 ? usageFromStats(task.spec, read) : undefined;
  }

  async stop(taskArn: string, request: StopRequest): Promise<void> {
    const task = this.tasks.get(taskArn);
    if (!task) return;
    task.stopping = true;
    await Promise.all(
      [...task.containers.values()].map(async (c) => {
        if (c.status !== "RUNNING" || !c.dockerId) {
          // Never started (waiting on a dependency, or only created): it ends without an exit code.
          if (c.status === "PENDING" || c.status === "CREATED") {
            c.status = "STOPPED";
            c.exited.resolve(undefined);
            this.emitExit(task, c, undefined, undefined);
          }
          return;
        }
        const container = this.docker.getContainer(c.dockerId);
        await container.kill({ signal: request.signal }).catch((err: Error) => this.ignoreGone(err));
        this.clock.clearTimeout(c.killTimer);
        c.killTimer = this.clock.setTimeout(() => {
          if (c.status === "RUNNING") void container.kill({ signal: "SIGKILL" }).catch((err: Error) => this.ignoreGone(err));
        }, request.timeoutMs(c.spec.name));
      }),
    );
  }

  async remove(taskArn: string): Promise<void> {
    const task = this.tasks.get(taskArn);
    if (!task || task.removed) return;
    task.removed = true;
    task.stopping = true;
    for (const c of task.containers.values()) this.clock.clearTimeout(c.killTimer);
    if (!this.config.keepContainers) {
      const ids = [...task.containers.values()].map((c) => c.dockerId).filter((id): id is string => !!id);
      await Promise.all(ids.map((id) => this.docker.getContainer(id).remove({ force: true, v: true }).catch((err: Error) => this.ignoreGone(err))));
      if (task.pauseId) await this.docker.getContainer(task.pauseId).remove({ force: true }).catch((err: Error) => this.ignoreGone(err));
      for (const v of task.volumes) await this.docker.getVolume(v).remove().catch((err: Error) => this.ignoreGone(err));
    }
    for (const c of task.containers.values()) {
      if (c.dockerId) this.byDockerId.delete(c.dockerId);
      this.byMetadataToken.delete(c.metadataToken);
    }
    if (task.pauseId) this.byPauseId.delete(task.pauseId);
    this.byCredentialsId.delete(task.credentialsId);
    for (const [id, key] of this.issuedKeys) if (key.taskArn === taskArn) this.issuedKeys.delete(id);
    this.tasks.delete(taskArn);
  }

  /**
   * Shutdown: admits no new engine call (queued ones fail at once), waits for the calls in flight
   * (at most `shutdownTimeoutMs`), removes every task, then sweeps whatever still carries this
   * instance's label: a create that answered after its task was removed must not survive us.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settleInflight();
    await this.pool?.close();
    const tasks = [...this.tasks.values()];
    if (this.stateKey) {
      // Persisted tasks keep running: the next simulator on the state dir adopts them.
      this.events.close();
      await this.server.close();
      return;
    }
    if (this.config.keepContainers) {
      // Debugging: leave everything in place, but do not leave workloads running unattended.
      await Promise.all(tasks.map((t) => this.stop(t.spec.taskArn, { signal: "SIGTERM", timeoutMs: () => 0 })));
    } else {
      await Promise.all(tasks.map((t) => this.remove(t.spec.taskArn)));
    }
    if (!this.config.keepContainers) await this.sweepOwn();
    this.events.close();
    await this.server.close();
    const infra = await this.infra?.catch(() => undefined);
    if (infra && this.createdNetwork && !this.config.keepContainers) await this.removeNetwork(infra.networkName);
  }

  /** The engine releases a removed container's endpoint asynchronously: retry briefly while it says "active endpoints". */
  private async removeNetwork(name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.docker.getNetwork(name).remove();
        return;
      } catch (err) {
        const busy = (err as { statusCode?: number }).statusCode === 403 && /active endpoints/.test((err as Error).message);
        if (!busy || attempt >= NETWORK_REMOVE_ATTEMPTS) return this.ignoreGone(err as Error);
        await new Promise<void>((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /**
   * After a restart on a state dir: finds the task's containers by label and takes over those that
   * still run (event watch, logs, metadata, credentials). Answers the names of the running ones; none
   * when the network holder is gone.
   */
  async adopt(spec: RuntimeTaskSpec, running: string[]): Promise<string[]> {
    await this.ready();
    const found = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_TASK_ARN}=${spec.taskArn}`] }) });
    const task = this.taskState(spec);
    task.pullStoppedAt = this.clock.now();
    const logs = this.containerLogs.open(spec, { groupsExisted: true });
    for (const c of task.containers.values()) c.log = logs.get(c.spec.name);
    let networkGone = this.isAwsvpc(spec);
    const alive: string[] = [];
    for (const info of found) {
      if (info.Labels[LABEL_ROLE] === "pause") {
        task.pauseId = info.Id;
        task.pauseName = info.Names[0]?.replace(/^\//, "");
        this.byPauseId.set(info.Id, task);
        networkGone = info.State !== "running";
        continue;
      }
      const name = info.Labels["com.amazonaws.ecs.container-name"];
      const c = name ? task.containers.get(name) : undefined;
      if (!c || !name) continue;
      c.dockerId = info.Id;
      c.dockerName = info.Names[0]?.replace(/^\//, "");
      this.byDockerId.set(info.Id, { task, container: c });
      if (info.State === "running" && running.includes(name)) {
        c.status = "RUNNING";
        c.startedAt = this.clock.now();
        c.started.resolve();
        c.startedEmitted = true;
        c.logsDone = captureLogs(this.docker, info.Id, c.log!.store, c.log!.group, c.log!.stream).catch((err: Error) =>
          this.logger.warn("log capture failed", { container: name, error: err.message }),
        );
        alive.push(name);
      } else {
        c.status = "STOPPED";
        c.exitEmitted = true;
        c.exited.resolve(undefined);
      }
    }
    await this.adoptAddressAndCredentials(task);
    return networkGone ? [] : alive;
  }

  /** Removes containers and volumes of this state dir that belong to no adopted task. */
  async releaseUnadopted(adopted: string[]): Promise<void> {
    if (!this.stateKey) return;
    const keep = new Set(adopted);
    const filters = JSON.stringify({ label: [`${LABEL_STATE}=${this.stateKey}`] });
    const containers = await this.docker.listContainers({ all: true, filters });
    const stale = containers.filter((c) => !keep.has(c.Labels[LABEL_TASK_ARN] ?? ""));
    await Promise.all(stale.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch((err: Error) => this.ignoreGone(err))));
    const volumes = (await this.docker.listVolumes({ filters })).Volumes ?? [];
    for (const v of volumes) {
      if (!keep.has(v.Labels?.[LABEL_TASK_ARN] ?? "")) await this.docker.getVolume(v.Name).remove().catch((err: Error) => this.ignoreGone(err));
    }
    if (stale.length) this.logger.info("removed containers of unknown or restarted tasks of the state dir", { containers: stale.length });
  }

  /** The adopted task's address (from its pause container) and credentials id (from its environment). */
  private async adoptAddressAndCredentials(task: TaskState): Promise<void> {
    const holder = task.pauseId ?? [...task.containers.values()].find((c) => c.dockerId)?.dockerId;
    if (holder) {
      const info = await this.docker.getContainer(holder).inspect().catch(() => undefined);
      const ep = Object.values(info?.NetworkSettings?.Networks ?? {})[0];
      if (ep?.IPAddress) task.privateIp = ep.IPAddress;
      if (ep?.MacAddress) task.macAddress = ep.MacAddress;
    }
    // The secrets in an adopted container's environment are the ones it will present: take them
    // back (each container's metadata token, the task's credentials id) instead of new ones.
    for (const c of task.containers.values()) {
      if (c.status !== "RUNNING" || !c.dockerId) continue;
      const env = (await this.docker.getContainer(c.dockerId).inspect().catch(() => undefined))?.Config?.Env ?? [];
      const metadata = env.find((e) => e.startsWith("ECS_CONTAINER_METADATA_URI_V4="));
      const token = metadata ? /\/v4\/([^/]+)$/.exec(metadata)?.[1] : undefined;
      if (token) {
        this.byMetadataToken.delete(c.metadataToken);
        c.metadataToken = token;
        this.byMetadataToken.set(token, { task, container: c });
      }
      const credentials = env.find((e) => e.startsWith("AWS_CONTAINER_CREDENTIALS_FULL_URI="));
      const id = credentials ? /\/v2\/credentials\/([^/]+)$/.exec(credentials)?.[1] : undefined;
      if (id && id !== task.credentialsId) {
        this.byCredentialsId.delete(task.credentialsId);
        task.credentialsId = id;
        this.byCredentialsId.set(id, task);
      }
    }
  }

  private withState(labels: Record<string, string>): Record<string, string> {
    return this.stateKey ? { ...labels, [LABEL_STATE]: this.stateKey } : labels;
  }

  /** The metadata server's port once it listens (persisted so that a restart can listen there again). */
  get listeningMetadataPort(): number | undefined {
    return this.boundMetadataPort;
  }

  /** The earlier process's metadata port when free (adopted forwarders point at it), else the configured one. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    const done = (): void => void this.inflight.delete(work);
    work.then(done, done);
    return work;
  }

  private assertOpen(): void {
    if (this.closed) throw new TaskStartError("CannotStartContainerError: the Docker runtime is shut down");
  }

  private async settleInflight(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.config.shutdownTimeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inflight]), bound]);
    clearTimeout(timer);
  }

  /** Removes every container and volume labelled with this instance, whatever the bookkeeping says. */
  private async sweepOwn(): Promise<void> {
    const filters = JSON.stringify({ label: [`${LABEL_INSTANCE}=${this.instanceId}`] });
    const containers = await this.docker.listContainers({ all: true, filters }).catch(() => []);
    await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch((err: Error) => this.ignoreGone(err))));
    const volumes = await this.docker.listVolumes({ filters }).catch(() => ({ Volumes: [] as Docker.VolumeInspectInfo[] }));
    for (const v of volumes.Volumes ?? []) await this.docker.getVolume(v.Name).remove().catch((err: Error) => this.ignoreGone(err));
  }

  // --- setup ---

  private ready(): Promise<Infra> {
    this.infra ??= (async () => {
      await this.events.open();
      const networkName = this.config.networkName ?? (this.stateKey ? `ecs-sim-state-${this.stateKey}` : `ecs-sim-${this.instanceId}`);
      const net = await this.ensureNetwork(networkName);
      // Adopted containers' forwarders point at the port an earlier process used: take it again if free.
      const preferred = this.config.metadataPort === 0 ? this.preferredMetadataPort : undefined;
      const { endpoint, port: metadataPort, preferredTaken } = await listenTaskEndpoint(this.server, this.config, net.gateway, preferred);
      this.boundMetadataPort = metadataPort;
      if (preferredTaken) this.logger.warn("metadata port of the earlier process is taken: adopted tasks lose their metadata endpoints", { port: preferred });
      if (endpoint.fallback) this.logger.warn(`task endpoint on 127.0.0.1: ${endpoint.fallback}`);
      this.logger.debug("docker runtime ready", { network: networkName, taskEndpoint: `${endpoint.bindHost}:${metadataPort}` });
      return { networkName, net, metadataPort, endpoint };
    })();
    return this.infra;
  }

  private async ensureNetwork(name: string): Promise<NetworkInfo> {
    let info: Docker.NetworkInspectInfo;
    try {
      info = await this.docker.getNetwork(name).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      await this.docker.createNetwork({
        Name: name,
        Driver: "bridge",
        CheckDuplicate: true,
        Labels: this.withState({ [LABEL_INSTANCE]: this.instanceId }),
      });
      this.createdNetwork = true;
      info = await this.docker.getNetwork(name).inspect();
    }
    const ipam = info.IPAM?.Config?.[0];
    return { subnet: ipam?.Subnet, gateway: ipam?.Gateway };
  }

  private taskState(spec: RuntimeTaskSpec): TaskState {
    const existing = this.tasks.get(spec.taskArn);
    if (existing) return existing;
    const task: TaskState = {
      spec,
      networkMode: dockerNetworkMode(spec, this.config),
      credentialsId: newCredentialsId(),
      containers: new Map(),
      volumes: [],
      stopping: false,
      removed: false,
    };
    for (const c of spec.containers) {
      const state: ContainerState = {
        spec: c,
        metadataToken: newMetadataToken(spec.taskId),
        status: "PENDING",
        oom: false,
        health: "UNKNOWN",
        networkBindings: [],
        labels: this.withState(containerLabels(this.instanceId, spec, c, "container")),
        started: new Deferred(),
        exited: new Deferred(),
        healthy: new Deferred(),
        startedEmitted: false,
        exitEmitted: false,
        logsDone: Promise.resolve(),
      };
      task.containers.set(c.name, state);
      this.byMetadataToken.set(state.metadataToken, { task, container: state });
    }
    this.byCredentialsId.set(task.credentialsId, task);
    this.tasks.set(spec.taskArn, task);
    return task;
  }

  /** Local image if present, else one pull per reference at a time (bounded by the launch queue). */
  private ensureImage(ref: string): Promise<ResolvedImage> {
    const inflight = this.pulls.get(ref);
    if (inflight) return inflight;
    const p = (async () => {
      const local = await inspectImage(this.docker, ref);
      if (local) return local;
      if (!this.config.pull) throw new Error(`${ref}: not found`);
      this.logger.info("pulling image", { image: ref });
      await this.queue.add(() => pullImage(this.docker, ref));
      const pulled = await inspectImage(this.docker, ref);
      if (!pulled) throw new Error(`${ref}: not found`);
      return pulled;
    })();
    this.pulls.set(ref, p);
    // Only successes are remembered: a later task may find the image built or pushed meanwhile.
    p.then(
      () => this.pulls.delete(ref),
      () => this.pulls.delete(ref),
    );
    return p;
  }

  private resolvePauseImage(): Promise<string> {
    this.pauseImage ??= (async () => {
      const candidates = this.config.pauseImage ? [this.config.pauseImage] : ["ecs-sim-test/busybox:latest", "busybox:latest"];
      for (const c of candidates) if (await inspectImage(this.docker, c)) return c;
      const last = candidates[candidates.length - 1]!;
      await this.ensureImage(last);
      return last;
    })();
    this.pauseImage.catch(() => (this.pauseImage = undefined));
    return this.pauseImage.catch((err: Error) => {
      throw new TaskStartError(cannotPullReason(this.config.pauseImage ?? "busybox:latest", err.message));
    });
  }

  private isAwsvpc(spec: RuntimeTaskSpec): boolean {
    return !spec.networkMode || spec.networkMode === "awsvpc";
  }

  private async createVolumes(task: TaskState): Promise<void> {
    for (const v of task.spec.volumes) {
      if (!v.name || v.host?.sourcePath) continue;
      const name = taskVolumeName(task.spec, v.name);
      await this.docker.createVolume({ Name: name, Labels: this.withState(taskLabels(this.instanceId, task.spec)) });
      task.volumes.push(name);
    }
  }

  /**
   * awsvpc: a holder from the warm pool when the task publishes no ports (pooled holders publish
   * none), else a new one. A new holder starts (a pooled one is renamed) while the task's
   * containers are created (`holderStarted`): they need it to exist, not to run, until they start.
   */
  private async networkTarget(task: TaskState, infra: Infra): Promise<{ net: NetworkTarget; holderStarted?: Promise<void> }> {
    const spec = task.spec;
    const extraHosts = infra.endpoint.extraHosts;
    if (this.isAwsvpc(spec)) {
      const pooled = this.publishesPorts(spec) ? undefined : this.pool?.take();
      if (pooled) return { net: { mode: "container", pauseId: pooled.id }, holderStarted: this.adoptHolder(task, pooled) };
      const image = await this.resolvePauseImage();
      const labels = this.withState(containerLabels(this.instanceId, spec, { name: "~internal~pause" }, "pause"));
      const options = buildPauseOptions(spec, image, labels, infra.networkName, extraHosts, this.forwardTarget(infra));
      const created = await this.queue.add(
        async () => {
          this.assertOpen();
          const created = await this.docker.createContainer(options);
          task.pauseId = created.id;
          task.pauseName = options.name;
          this.byPauseId.set(created.id, task);
          return created;
        },
        { priority: FIRST_STEP },
      );
      const holderStarted = this.queue
        .add(
          async () => {
            this.assertOpen();
            await created!.start();
            return created!.inspect();
          },
          { priority: NEXT_STEP },
        )
        .then((info) => {
          const endpoint = info!.NetworkSettings.Networks[infra.networkName];
          task.privateIp = endpoint?.IPAddress || undefined;
          task.macAddress = endpoint?.MacAddress || undefined;
        });
      // Awaited after the containers are created; a failure before that must not go unhandled.
      holderStarted.catch(() => undefined);
      return { net: { mode: "container", pauseId: task.pauseId! }, holderStarted };
    }
    if (task.networkMode === "bridge") return { net: { mode: "bridge", networkName: infra.networkName, extraHosts } };
    return { net: { mode: task.networkMode === "host" ? "host" : "none" } };
  }

  private publishesPorts(spec: RuntimeTaskSpec): boolean {
    return spec.containers.some((c) => c.portMappings.some((p) => !!p.containerPort));
  }

  private forwardTarget(infra: Infra): { inTaskPort: number; host: string; port: number } {
    return { inTaskPort: this.config.inTaskPort, host: infra.endpoint.taskHost, port: infra.metadataPort };
  }

  /**
   * A pooled holder becomes the task's: its address, its death watch, and the task's holder name
   * (renamed while the task's containers are created; the answer resolves when it is done).
   */
  private adoptHolder(task: TaskState, holder: PooledHolder): Promise<void> {
    task.pauseId = holder.id;
    task.pauseName = pauseContainerName(task.spec);
    task.privateIp = holder.privateIp;
    task.macAddress = holder.macAddress;
    this.byPauseId.set(holder.id, task);
    return this.docker
      .getContainer(holder.id)
      .rename({ name: task.pauseName })
      .catch((err: Error) => this.ignoreGone(err));
  }

  /** One warm-pool holder: labelled with this instance (so every cleanup finds it), started, inspected. */
  private async createPooledHolder(name: string): Promise<PooledHolder> {
    const infra = await this.ready();
    const image = await this.resolvePauseImage();
    const labels = { [LABEL_INSTANCE]: this.instanceId, [LABEL_ROLE]: "pause" };
    const options = buildHolderOptions(name, image, labels, infra.networkName, infra.endpoint.extraHosts, this.forwardTarget(infra));
    const info = await this.queue.add(
      async () => {
        this.assertOpen();
        const created = await this.docker.createContainer(options);
        try {
          await created.start();
          return await created.inspect();
        } catch (err) {
          await created.remove({ force: true }).catch(() => undefined);
          throw err;
        }
      },
      { priority: REFILL },
    );
    const endpoint = info!.NetworkSettings.Networks[infra.networkName];
    return { id: info!.Id, name, privateIp: endpoint?.IPAddress || undefined, macAddress: endpoint?.MacAddress || undefined };
  }

  private containerEnv(
    task: TaskState,
    c: ContainerState,
    infra: Infra,
    files: Record<string, string>,
    secrets: Record<string, string>,
  ): Record<string, string> {
    const spec = task.spec;
    // awsvpc: the pause container's forwarder puts the server on the task's own loopback, which
    // also satisfies the SDKs' rule that plain-HTTP credential URIs be loopback addresses.
    const base = this.isAwsvpc(spec)
      ? `http://127.0.0.1:${this.config.inTaskPort}`
      : task.networkMode === "host"
        ? `http://${infra.endpoint.hostModeAddress}:${infra.metadataPort}`
        : `http://${infra.endpoint.taskHost}:${infra.metadataPort}`;
    const env: Record<string, string> = {
      AWS_REGION: spec.region,
      AWS_DEFAULT_REGION: spec.region,
      AWS_EXECUTION_ENV: spec.launchType === "FARGATE" || !spec.launchType ? "AWS_ECS_FARGATE" : "AWS_ECS_EC2",
    };
    if (this.config.injectEndpointUrl) env["AWS_ENDPOINT_URL"] = base;
    // ECS precedence: environment files < environment < secrets.
    Object.assign(env, files);
    for (const kv of c.spec.environment) if (kv.name) env[kv.name] = kv.value ?? "";
    Object.assign(env, secrets);
    // Agent-owned variables always win.
    env["ECS_CONTAINER_METADATA_URI_V4"] = `${base}/v4/${c.metadataToken}`;
    env["ECS_CONTAINER_METADATA_URI"] = `${base}/v3/${c.metadataToken}`;
    env["ECS_AGENT_URI"] = `${base}/api/${c.metadataToken}`;
    if (spec.taskRoleArn) env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = `${base}/v2/credentials/${task.credentialsId}`;
    return env;
  }

  // --- launching ---

  /** Waits for the container's dependsOn conditions, then starts it. Undefined when it never starts. */
  private async launch(task: TaskState, c: ContainerState): Promise<StartedContainer | undefined> {
    try {
      await this.dependencies(task, c);
    } catch (err) {
      if (task.stopping) return undefined;
      throw err;
    }
    if (task.stopping || c.status !== "CREATED") return undefined;
    // Only the engine call itself holds a launch slot; bookkeeping round trips happen outside it.
    await this.queue.add(
      () => {
        this.assertOpen();
        return this.docker.getContainer(c.dockerId!).start();
      },
      { priority: LAST_STEP },
    );
    c.status = c.status === "CREATED" ? "RUNNING" : c.status;
    c.startedAt = this.clock.now();
    if (c.log) {
      c.logsDone = captureLogs(this.docker, c.dockerId!, c.log.store, c.log.group, c.log.stream).catch((err: Error) =>
        this.logger.warn("log capture failed", { container: c.spec.name, error: err.message }),
      );
    }
    const needsInspect = c.spec.portMappings.length > 0 || (!task.privateIp && task.networkMode === "bridge");
    let published: StartedContainer["publishedBindings"];
    if (needsInspect) {
      const info = await this.docker.getContainer(task.pauseId ?? c.dockerId!).inspect();
      const instance = task.spec.containerInstance;
      if (instance && task.networkMode === "bridge") {
        const bindings = instanceBindings(c.spec, instance.hostPorts[c.spec.name], info);
        c.networkBindings = bindings.reported;
        published = bindings.published;
      } else {
        c.networkBindings = publishedBindings(c.spec, info);
      }
      if (!task.privateIp && task.networkMode === "bridge") {
        const ep = Object.values(info.NetworkSettings.Networks ?? {})[0];
        if (ep?.IPAddress) {
          task.privateIp = ep.IPAddress;
          task.macAddress = ep.MacAddress;
        }
      }
    }
    const result: StartedContainer = {
      name: c.spec.name,
      runtimeId: c.dockerId!,
      imageDigest: c.image?.digest,
    };
    if (c.networkBindings.length) result.networkBindings = c.networkBindings;
    if (published?.length) result.publishedBindings = published;
    c.started.resolve();
    c.startedEmitted = true;
    this.emit({ type: "container-started", taskArn: task.spec.taskArn, container: result });
    if (c.pendingExit) {
      const { exitCode, reason } = c.pendingExit;
      c.pendingExit = undefined;
      this.emitExit(task, c, exitCode, reason);
    }
    return result;
  }

  private dependencies(task: TaskState, c: ContainerState): Promise<void> {
    const timeoutMs = c.spec.startTimeout !== undefined ? c.spec.startTimeout * 1000 : this.config.dependencyTimeoutMs;
    return waitForDependencies(c.spec.name, c.spec.dependsOn, (name) => task.containers.get(name), this.clock, timeoutMs);
  }

  // --- Docker events ---

  private onDockerEvent(e: DockerContainerEvent): void {
    const holder = this.byPauseId.get(e.id);
    if (holder) return this.onPauseEvent(holder, e);
    if (e.action === "die" && this.pool?.has(e.id)) return this.pool.discard(e.id);
    const hit = this.byDockerId.get(e.id);
    if (!hit) return;
    const { task, container: c } = hit;
    if (e.action === "oom") {
      c.oom = true;
    } else if (e.action === "die") {
      if (c.status === "STOPPED") return;
      c.status = "STOPPED";
      c.finishedAt = this.clock.now();
      this.clock.clearTimeout(c.killTimer);
      const exitCode = e.attributes["exitCode"] !== undefined ? Number(e.attributes["exitCode"]) : undefined;
      c.exitCode = exitCode;
      void this.reportExit(task, c, exitCode);
    } else if (e.action.startsWith("health_status")) {
      const status = e.action.includes("unhealthy") ? "UNHEALTHY" : e.action.includes("healthy") ? "HEALTHY" : undefined;
      if (!status || status === c.health) return;
      c.health = status;
      if (status === "HEALTHY") c.healthy.resolve();
      this.emit({ type: "container-health", taskArn: task.spec.taskArn, name: c.spec.name, status });
    }
  }

  /** A pause container that dies while its task is not being stopped took the task's network with it. */
  private onPauseEvent(task: TaskState, e: DockerContainerEvent): void {
    if (e.action !== "die" || task.stopping || task.removed || task.networkLost) return;
    task.networkLost = true;
    this.logger.warn("network holder of a task exited", { task: task.spec.taskArn, exitCode: e.attributes["exitCode"] });
    this.emit({ type: "network-lost", taskArn: task.spec.taskArn });
  }

  private async reportExit(task: TaskState, c: ContainerState, exitCode: number | undefined): Promise<void> {
    let oom = c.oom;
    if (!oom && exitCode === 137 && c.dockerId) {
      // The oom event can be missed (cgroup v2 reports it late or not at all); the state knows.
      const info = await this.docker.getContainer(c.dockerId).inspect().catch(() => undefined);
      oom = !!info?.State?.OOMKilled;
    }
    // Report after the last log lines are stored, so a reader of the exit also sees the output.
    await Promise.race([c.logsDone, new Promise<void>((r) => setTimeout(r, LOG_DRAIN_MS).unref())]);
    c.exited.resolve(exitCode);
    this.emitExit(task, c, exitCode, oom ? Messages.outOfMemory : undefined);
  }

  private emitExit(task: TaskState, c: ContainerState, exitCode: number | undefined, reason: string | undefined): void {
    if (c.exitEmitted) return;
    if (!c.startedEmitted && c.startedAt !== undefined) {
      // Started but container-started is not out yet: keep the order started -> exited.
      c.pendingExit = { exitCode, reason };
      return;
    }
    c.exitEmitted = true;
    const event: RuntimeEvent = { type: "container-exited", taskArn: task.spec.taskArn, name: c.spec.name };
    if (exitCode !== undefined) event.exitCode = exitCode;
    if (reason) event.reason = reason;
    this.emit(event);
  }

  private emit(event: RuntimeEvent): void {
    try {
      this.listener(event);
    } catch (err) {
      this.logger.error("runtime listener threw", { type: event.type, error: (err as Error).message });
    }
  }

  private ignoreGone(err: Error): void {
    const code = (err as { statusCode?: number }).statusCode;
    if (code === 404 || code === 409 || code === 304) return;
    this.logger.warn("docker call failed", { error: err.message });
  }

  // --- metadata endpoint ---

  private async metadataRoute(path: string, caller: string): Promise<MetadataReply | undefined> {
    const infra = await this.ready();
    const notThisTask = async (task: TaskState): Promise<MetadataReply | undefined> =>
      infra.endpoint.checkCaller && !(await isTaskCaller(this.docker, task, caller, () => localAddresses().add(infra.endpoint.bindHost)))
        ? { status: 403, body: { error: "Forbidden", message: `The caller ${caller} is not this task.` } }
        : undefined;
    const cred = /^\/v2\/credentials\/([^/]+)$/.exec(path);
    if (cred) {
      const task = this.byCredentialsId.get(cred[1]!);
      if (!task || !task.spec.taskRoleArn) return { status: 404, body: { code: "NoCredentials", message: "No credentials for this task role" } };
      const refused = await notThisTask(task);
      if (refused) return refused;
      const creds = taskCredentials(task, this.clock.now(), this.credentialsSecret);
      this.issuedKeys.set(creds.AccessKeyId, { secretAccessKey: creds.SecretAccessKey, sessionToken: creds.Token, taskArn: task.spec.taskArn });
      return { status: 200, body: creds };
    }
    const m = /^\/(v4|v3|api)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return undefined;
    const hit = this.byMetadataToken.get(m[2]!);
    if (!hit) return { status: 404, body: { error: "unknown metadata path" } };
    const { task, container } = hit;
    const refused = await notThisTask(task);
    if (refused) return refused;
    const live = this.lookupTask(task.spec.taskArn);
    const rest = (m[3] ?? "").replace(/\/$/, "");
    switch (rest) {
      case "":
        return { status: 200, body: containerMetadata(task, container, live, infra.net) };
      case "/task":
        return { status: 200, body: taskMetadata(task, live, infra.net, this.clock.now(), false) };
      case "/taskWithTags":
        return { status: 200, body: taskMetadata(task, live, infra.net, this.clock.now(), true) };
      case "/stats":
        return { status: 200, body: container.dockerId ? await this.stats(container.dockerId) : {} };
      case "/task/stats": {
        const entries = await Promise.all(
          [...task.containers.values()].filter((c) => c.dockerId).map(async (c) => [c.dockerId!, await this.stats(c.dockerId!)] as const),
        );
        return { status: 200, body: Object.fromEntries(entries) };
      }
      default:
        return { status: 404, body: { error: "unknown metadata path" } };
    }
  }

  private async stats(id: string): Promise<unknown> {
    return this.docker
      .getContainer(id)
      .stats({ stream: false })
      .catch(() => null);
  }
}
