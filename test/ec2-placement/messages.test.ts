import { describe, expect, it } from "vitest";
import { Ec2Messages, PlacementFailureReason } from "../../src/errors/ec2-messages.js";

const HEAD = "(service web) was unable to place a task because no container instance met all of its requirements.";
const TAIL = "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";

describe("EC2 service event texts", () => {
  it("no container instances at all", () => {
    expect(Ec2Messages.svcUnableToPlaceNoInstances("web")).toBe(
      `${HEAD} Reason: No Container Instances were found in your cluster. ${TAIL}`,
    );
    expect(Ec2Messages.noContainerInstances).toBe("No Container Instances were found in your cluster.");
    expect(Ec2Messages.svcUnableToPlaceNoInstancesInCapacityProvider("web")).toBe(
      `${HEAD} Reason: No Container Instances were found in your capacity provider. ${TAIL}`,
    );
  });

  it("the closest matching instance, per reason", () => {
    const id = "3f4de1c5ffdd4954af7e75b4be0c8841";
    const cases: [string, string][] = [
      [PlacementFailureReason.cpu, "has insufficient CPU units available."],
      [PlacementFailureReason.memory, "has insufficient memory available."],
      [PlacementFailureReason.ports, "is already using a port required by your task."],
      [PlacementFailureReason.portsUdp, "is already using a port required by your task."],
      [PlacementFailureReason.attribute, "is missing an attribute required by your task."],
      [PlacementFailureReason.agent, "doesn't have the agent connected."],
      [PlacementFailureReason.eni, 'encountered error "RESOURCE:ENI".'],
      [PlacementFailureReason.gpu, 'encountered error "RESOURCE:GPU".'],
      [PlacementFailureReason.memberOf, 'encountered error "MemberOf placement constraint unsatisfied.".'],
    ];
    for (const [reason, problem] of cases) {
      expect(Ec2Messages.svcUnableToPlaceClosest("web", id, reason), reason).toBe(
        `${HEAD} The closest matching (container-instance ${id}) ${problem} ${TAIL}`,
      );
    }
  });
});
