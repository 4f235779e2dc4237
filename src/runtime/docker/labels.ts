/**
 * Labels on everything the runtime creates. `ecs-sim.instance` is how an instance finds its own
 * objects and how removeLeftovers() recognises other instances' (and never touches anything
 * else); the com.amazonaws.ecs.* ones are those the ECS agent sets, which metadata v4 reports.
 */
import type { RuntimeContainerSpec, RuntimeTaskSpec } from "../types.js";

export const LABEL_INSTANCE = "ecs-sim.instance";
export const LABEL_TASK_ARN = "ecs-sim.task-arn";
export const LABEL_ROLE = "ecs-sim.role";
/**
 * Set on everything of a simulator with `--state-dir` (a hash of the directory): such objects are
 * meant to outlive the process, so other instances never remove them as leftovers; the next
 * simulator on the same directory adopts or removes them.
 */
export const LABEL_STATE = "ecs-sim.state";
/**
 * EC2 launch type: the simulated container instance a container runs on. Every simulated instance
 * shares the one local engine, so `docker ps --filter label=ecs-sim.ec2-instance-id=i-...` is how
 * to see what runs "where".
 */
export const LABEL_CONTAINER_INSTANCE = "ecs-sim.container-instance-arn";
export const LABEL_EC2_INSTANCE = "ecs-sim.ec2-instance-id";

export function taskLabels(instanceId: string, spec: RuntimeTaskSpec): Record<string, string> {
  return {
    [LABEL_INSTANCE]: instanceId,
    [LABEL_TASK_ARN]: spec.taskArn,
    "com.amazonaws.ecs.cluster": spec.clusterArn,
    "com.amazonaws.ecs.task-arn": spec.taskArn,
    "com.amazonaws.ecs.task-definition-family": spec.family,
    "com.amazonaws.ecs.task-definition-version": String(spec.revision),
    ...instanceLabels(spec),
  };
}

function instanceLabels(spec: RuntimeTaskSpec): Record<string, string> {
  const instance = spec.containerInstance;
  if (!instance) return {};
  return {
    [LABEL_CONTAINER_INSTANCE]: instance.arn,
    ...(instance.ec2InstanceId ? { [LABEL_EC2_INSTANCE]: instance.ec2InstanceId } : {}),
  };
}

export function containerLabels(
  instanceId: string,
  spec: RuntimeTaskSpec,
  container: RuntimeContainerSpec | { name: string; dockerLabels?: Record<string, string> },
  role: "container" | "pause",
): Record<string, string> {
  return {
    // The definition's dockerLabels first: ours must win so cleanup can always find the container.
    ...(container.dockerLabels ?? {}),
    ...taskLabels(instanceId, spec),
    "com.amazonaws.ecs.container-name": container.name,
    [LABEL_ROLE]: role,
  };
}

/** The subset metadata v4 shows under Labels. */
export function ecsLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k.startsWith("com.amazonaws.ecs.")) out[k] = v;
  return out;
}
