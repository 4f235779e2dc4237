import { DEFAULT_STATIC_LIMITS, type LaunchDecision, type QuotaGate, type StaticLimits } from "./types.js";

/** A gate that admits everything: the `unlimited` profile, and the default until limits are configured. */
export class UnlimitedGate implements QuotaGate {
  admitApiCall(): void {}
  admitRegistration(): Promise<void> {
    return Promise.resolve();
  }
  reserveLaunch(): LaunchDecision {
    return { ok: true };
  }
  release(): void {}
  limits(): StaticLimits {
    return DEFAULT_STATIC_LIMITS;
  }
  reset(): void {}
}
