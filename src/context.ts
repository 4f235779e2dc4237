import type { Clock } from "./core/clock.js";
import type { EventBus } from "./core/events.js";
import type { Logger } from "./core/logger.js";
import type { SeededRandom } from "./core/random.js";
import type { QuotaGate } from "./quotas/types.js";
import type { Store } from "./state/store.js";
import type { SimConfig } from "./config.js";

/**
 * The shared services every layer is built from. Created once by the simulator (the composition
 * root) and passed down; nothing reaches for globals.
 */
export interface SimContext {
  readonly config: SimConfig;
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly store: Store;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly quotas: QuotaGate;
}
