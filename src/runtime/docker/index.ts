/** The Docker runtime's public surface. */
export { DockerRuntime, type DockerRuntimeOptions } from "./docker-runtime.js";
export { dockerAvailable, createDockerClient } from "./client.js";
export { DockerConfigSchema, parseDockerConfig, DEFAULT_IMAGE_REWRITES, type DockerConfig, type DockerConfigInput } from "./config.js";
export { newInstanceId, removeLeftovers, type LeftoverReport } from "./leftovers.js";
export { rewriteImage, cannotPullReason, qualifiedRef } from "./images.js";
export { LABEL_INSTANCE, LABEL_TASK_ARN, LABEL_CONTAINER_INSTANCE, LABEL_EC2_INSTANCE } from "./labels.js";
