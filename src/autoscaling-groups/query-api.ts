import type { FormTarget } from "../api/server.js";
import { AutoScalingValidationError, UnknownOperationException, type AwsError } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import type { Scope } from "../domain/scope.js";
import { AutoScalingGroupError, type AutoScalingGroups } from "./groups.js";
import type { AutoScalingGroupRecord } from "./types.js";

/**
 * The EC2 Auto Scaling API subset that ECS tooling calls, on the query protocol (form-encoded
 * `Action=…&Version=2011-01-01`, XML answers) on the simulator's endpoint:
 * DescribeAutoScalingGroups, SetDesiredCapacity, UpdateAutoScalingGroup, SetInstanceProtection,
 * CompleteLifecycleAction.
 */
export function autoScalingQueryTarget(groups: AutoScalingGroups): FormTarget {
  return {
    version: "2011-01-01",
    xmlns: "http://autoscaling.amazonaws.com/doc/2011-01-01/",
    numeric: new Set(["MinSize", "MaxSize", "DesiredCapacity", "MaxRecords"]),
    boolean: new Set(["ProtectedFromScaleIn", "HonorCooldown", "NewInstancesProtectedFromScaleIn"]),
    errorCode: (err: AwsError) => err.code,
    handle: (action, input, req) => {
      try {
        return handle(groups, action, input, req.scope);
      } catch (err) {
        if (err instanceof AutoScalingGroupError) throw new AutoScalingValidationError(err.message);
        throw err;
      }
    },
  };
}

function handle(groups: AutoScalingGroups, action: string, input: Record<string, unknown>, scope: Scope): unknown {
  const name = () => {
    const n = input.AutoScalingGroupName;
    if (typeof n !== "string" || n === "") throw new AutoScalingValidationError("1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null");
    return n;
  };
  switch (action) {
    case "DescribeAutoScalingGroups": {
      const wanted = (input.AutoScalingGroupNames as string[] | undefined) ?? [];
      const all = groups.list(scope).filter((g) => wanted.length === 0 || wanted.includes(g.name));
      return { AutoScalingGroups: all.map(describe) };
    }
    case "SetDesiredCapacity":
      groups.setDesiredCapacity(scope, name(), Number(input.DesiredCapacity));
      return {};
    case "UpdateAutoScalingGroup":
      groups.update(scope, name(), {
        ...(input.MinSize !== undefined ? { minSize: Number(input.MinSize) } : {}),
        ...(input.MaxSize !== undefined ? { maxSize: Number(input.MaxSize) } : {}),
        ...(input.DesiredCapacity !== undefined ? { desiredCapacity: Number(input.DesiredCapacity) } : {}),
        ...(input.NewInstancesProtectedFromScaleIn !== undefined ? { newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn === true } : {}),
      });
      return {};
    case "SetInstanceProtection":
      groups.setInstanceProtection(scope, name(), (input.InstanceIds as string[] | undefined) ?? [], input.ProtectedFromScaleIn === true);
      return {};
    case "CompleteLifecycleAction": {
      const result = input.LifecycleActionResult;
      if (result !== "CONTINUE" && result !== "ABANDON") throw new AutoScalingValidationError("LifecycleActionResult must be CONTINUE or ABANDON");
      groups.completeLifecycleAction(scope, name(), String(input.LifecycleHookName ?? ""), String(input.InstanceId ?? ""), result);
      return {};
    }
    default:
      throw new UnknownOperationException(Messages.unknownOperation(action));
  }
}

function describe(g: AutoScalingGroupRecord) {
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: g.availabilityZones,
    HealthCheckType: "EC2",
    HealthCheckGracePeriod: 0,
    Instances: g.instances.map((i) => ({
      InstanceId: i.instanceId,
      InstanceType: i.instanceType,
      AvailabilityZone: i.availabilityZone,
      LifecycleState: i.lifecycleState,
      HealthStatus: "Healthy",
      ProtectedFromScaleIn: i.protectedFromScaleIn,
    })),
    CreatedTime: new Date(g.createdAt),
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    TerminationPolicies: ["Default"],
  };
}
