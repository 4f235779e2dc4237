export { ServiceScheduler, breakerThreshold, type ServiceSchedulerDeps } from "./service-scheduler.js";
export { parseServicesConfig, ServicesConfigSchema, ServicesConfigError, type ServicesConfig, type ServicesConfigInput } from "./config.js";
