import type { Scope } from "../../domain/scope.js";
import type { MetricId } from "../types.js";

/** Values read for one metric at one moment: one per task, queue... (aggregated into one datapoint). */
export interface MetricSample {
  scope: Scope;
  id: MetricId;
  values: number[];
}

/**
 * One place metric values come from (a runtime's container stats, a real queue...). The sampler
 * polls it on the simulator's clock every `periodMs`, and only while `needed()` says a policy or
 * a configuration wants it, so an idle simulator polls nothing.
 */
export interface MetricSource {
  readonly name: string;
  readonly periodMs: number;
  needed(): boolean;
  sample(now: number): Promise<MetricSample[]>;
}
