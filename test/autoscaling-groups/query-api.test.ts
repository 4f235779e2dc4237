import { describe, expect, it } from "vitest";
import { parseQueryParams, queryError, queryResponse } from "../../src/api/query-protocol.js";
import { AutoScalingGroups } from "../../src/autoscaling-groups/groups.js";
import { autoScalingQueryTarget } from "../../src/autoscaling-groups/query-api.js";
import { VirtualClock } from "../../src/core/clock.js";
import { createLogger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import { AwsError } from "../../src/errors/aws-errors.js";
import { Store } from "../../src/state/store.js";
import { FakeLauncher } from "../helpers/fake-launcher.js";

const scope = { account: "000000000000", region: "us-east-1" };

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const launcher = new FakeLauncher(clock);
  const groups = new AutoScalingGroups({ clock, store: new Store(), launcher, random: new SeededRandom(9), logger: createLogger({ level: "silent", format: "text", now: () => clock.now() }) });
  groups.create(scope, { name: "asg", minSize: 0, maxSize: 4, desiredCapacity: 1, instanceType: "m5.large", bootDelayMs: 0, lifecycleHooks: [{ name: "hook" }] });
  const target = autoScalingQueryTarget(groups);
  /** One form request as the AWS CLI v1 or boto3 sends it, answered as XML. */
  const call = (form: string): string => {
    const { action, input } = parseQueryParams(`${form}&Version=2011-01-01`, target);
    try {
      return queryResponse(action, target.xmlns, target.handle(action, input, { scope, requestId: "r-1", operation: action }), "r-1");
    } catch (err) {
      if (err instanceof AwsError) return queryError(err, target.xmlns, "r-1", target.errorCode(err));
      throw err;
    }
  };
  return { groups, call };
}

describe("Auto Scaling query API subset", () => {
  it("describes groups with their instances", () => {
    const { call } = setup();
    const xml = call("Action=DescribeAutoScalingGroups&AutoScalingGroupNames.member.1=asg");
    expect(xml).toMatch(/^<DescribeAutoScalingGroupsResponse xmlns="http:\/\/autoscaling.amazonaws.com\/doc\/2011-01-01\/"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>asg<\/AutoScalingGroupName>/);
    expect(xml).toContain("<DesiredCapacity>1</DesiredCapacity>");
    expect(xml).toMatch(/<Instances><member><InstanceId>i-\d+<\/InstanceId><InstanceType>m5.large<\/InstanceType><AvailabilityZone>us-east-1a<\/AvailabilityZone><LifecycleState>InService<\/LifecycleState>/);
  });

  it("sets the desired capacity, updates sizes, protects and completes lifecycle actions", () => {
    const { call, groups } = setup();
    expect(call("Action=SetDesiredCapacity&AutoScalingGroupName=asg&DesiredCapacity=3")).toBe(
      '<SetDesiredCapacityResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SetDesiredCapacityResponse>',
    );
    const g = groups.get(scope, "asg");
    expect(g.instances).toHaveLength(3);
    call(`Action=SetInstanceProtection&AutoScalingGroupName=asg&InstanceIds.member.1=${g.instances[0]!.instanceId}&ProtectedFromScaleIn=true`);
    expect(g.instances[0]!.protectedFromScaleIn).toBe(true);
    call("Action=UpdateAutoScalingGroup&AutoScalingGroupName=asg&MaxSize=2");
    expect(g.desiredCapacity).toBe(2);
    const waiting = g.instances.find((i) => i.lifecycleState === "Terminating:Wait")!;
    call(`Action=CompleteLifecycleAction&AutoScalingGroupName=asg&LifecycleHookName=hook&InstanceId=${waiting.instanceId}&LifecycleActionResult=CONTINUE`);
    expect(g.instances.map((i) => i.lifecycleState)).toEqual(["InService", "InService"]);
  });

  it("answers Auto Scaling's ValidationError", () => {
    const { call } = setup();
    expect(call("Action=SetDesiredCapacity&AutoScalingGroupName=asg&DesiredCapacity=9")).toContain(
      "<Code>ValidationError</Code><Message>New SetDesiredCapacity value 9 is above max value 4 for the AutoScalingGroup.</Message>",
    );
  });
});
