export { compileClusterQuery, type ClusterQuery, type QueryTarget } from "./cluster-query.js";
export { checkFit, filterByQuery, MAX_RESERVED_PORTS_PER_INSTANCE, queryTarget } from "./fit.js";
export { hasNoContainerInstances, placeTasks } from "./place.js";
export { taskRequirements } from "./requirements.js";
export { chooseTasksToStop, type StoppableTask } from "./scale-in.js";
export { schedulableCount, schedulableReport, type SchedulableReport } from "./schedulable.js";
export {
  compileConstraints,
  compileStrategies,
  DEFAULT_SERVICE_STRATEGY,
  MAX_EXPRESSION_LENGTH,
  MAX_PLACEMENT_CONSTRAINTS,
  MAX_PLACEMENT_STRATEGIES,
} from "./validate.js";
export type * from "./types.js";
