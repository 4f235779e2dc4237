export {
  DEFAULT_WARNING_MS,
  SpotConfigError,
  SpotConfigSchema,
  SpotPatchSchema,
  meanIntervalMs,
  parseSpotConfig,
  type SpotConfig,
  type SpotConfigInput,
  type SpotPatch,
  type SpotRandom,
} from "./config.js";
export {
  SpotInterruptions,
  SpotSelectionError,
  type InterruptionRecord,
  type InterruptResult,
  type ScheduledInterruption,
  type SpotInterruptionsDeps,
  type SpotView,
} from "./interruptions.js";
export { SpotSelectionSchema, type SpotSelection, type SpotSelectionInput } from "./selection.js";
