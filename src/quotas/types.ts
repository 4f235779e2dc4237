/**
 * What the rest of the simulator may ask of the limits engine. The API and the scheduler consult
 * it; it never calls back into them. Every call names the account and region it is about.
 */
export interface Scope {
  account: string;
  region: string;
}

export type VcpuClass = "on-demand" | "spot";

export interface LaunchRequest {
  taskArn: string;
  vcpuClass: VcpuClass;
  /** Task-level vCPU (cpu units / 1024). */
  vcpu: number;
  memoryMiB: number;
  cluster: string;
  operation: string;
  requestId?: string;
}

export type LaunchDecision = { ok: true } | { ok: false; reason: string };

/** Fixed limits that handlers check themselves (counts, sizes). */
export interface StaticLimits {
  runTaskMaxCount: number;
  clustersPerAccount: number;
  servicesPerCluster: number;
  tasksPerService: number;
  describeTasksMaxIds: number;
  taskDefinitionMaxBytes: number;
  revisionsPerFamily: number;
  tagsPerResource: number;
  containersPerTaskDefinition: number;
}

export interface QuotaGate {
  /** Throws ThrottlingException (or an injected chaos error) before any state changes. */
  admitApiCall(scope: Scope, operation: string, requestId: string): void;
  /**
   * Throws ClientException when another registration of the family is in flight. Otherwise this
   * one is in flight until the returned promise settles: its answer is due then, not before.
   */
  admitRegistration(scope: Scope, family: string, requestId: string): Promise<void>;
  /** Reserves vCPU quota and a Fargate launch token for one task, or says why not. */
  reserveLaunch(scope: Scope, request: LaunchRequest): LaunchDecision;
  /** Returns a task's vCPU to its class. Idempotent. */
  release(scope: Scope, taskArn: string): void;
  limits(scope: Scope): StaticLimits;
  /** Drops every reservation and bucket level, and answers registrations in flight (POST /_sim/reset). */
  reset(): void;
}

export const DEFAULT_STATIC_LIMITS: StaticLimits = {
  runTaskMaxCount: 10,
  clustersPerAccount: 10_000,
  servicesPerCluster: 5_000,
  tasksPerService: 5_000,
  describeTasksMaxIds: 100,
  taskDefinitionMaxBytes: 64 * 1024,
  revisionsPerFamily: 1_000_000,
  tagsPerResource: 50,
  containersPerTaskDefinition: 10,
};
