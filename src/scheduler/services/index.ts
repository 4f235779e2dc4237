export { ServiceScheduler, type ServiceSchedulerDeps } from "./service-scheduler.js";
export { breakerThreshold } from "./deployments.js";
export { parseServicesConfig, ServicesConfigSchema, ServicesConfigError, type ServicesConfig, type ServicesConfigInput } from "./config.js";
