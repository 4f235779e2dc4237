/**
 * How long each lifecycle stage takes. `fast` keeps whole test suites quick; `realistic` follows
 * what Fargate shows (PROVISIONING plus PENDING of roughly 5-15 s, a RUNNING dwell of at least
 * 5 s, about half a minute to stop) so pollers see the states they see in production (S12).
 * Each stage is a base and a jitter; jitter is drawn from the seeded random source.
 */
export interface StageTiming {
  baseMs: number;
  jitterMs: number;
}

export interface TimingProfile {
  name: "fast" | "realistic";
  /** PROVISIONING -> PENDING: ENI provisioning. */
  provisioning: StageTiming;
  /** PENDING: image pull (pullStartedAt .. pullStoppedAt). */
  pull: StageTiming;
  /** ACTIVATING -> RUNNING. */
  activating: StageTiming;
  /** The least time a task shows RUNNING, even when its essential container exits at once. */
  minRunning: StageTiming;
  /** DEACTIVATING -> STOPPING. */
  deactivating: StageTiming;
  /** DEPROVISIONING -> STOPPED: ENI detach. */
  deprovisioning: StageTiming;
}

export const TIMING_PROFILES: Record<TimingProfile["name"], TimingProfile> = {
  fast: {
    name: "fast",
    provisioning: { baseMs: 5, jitterMs: 0 },
    pull: { baseMs: 5, jitterMs: 0 },
    activating: { baseMs: 5, jitterMs: 0 },
    minRunning: { baseMs: 0, jitterMs: 0 },
    deactivating: { baseMs: 5, jitterMs: 0 },
    deprovisioning: { baseMs: 5, jitterMs: 0 },
  },
  realistic: {
    name: "realistic",
    provisioning: { baseMs: 4_000, jitterMs: 1_500 },
    pull: { baseMs: 6_000, jitterMs: 3_000 },
    activating: { baseMs: 1_000, jitterMs: 500 },
    minRunning: { baseMs: 6_000, jitterMs: 1_000 },
    deactivating: { baseMs: 1_500, jitterMs: 500 },
    deprovisioning: { baseMs: 10_000, jitterMs: 3_000 },
  },
};
