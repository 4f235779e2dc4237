import { z } from "zod";
import { durationMs } from "../core/duration.js";
import { InstanceRequestSchema, InstanceSelectorSchema } from "../domain/container-instances/spec-schema.js";
import { MetricSettingSchema } from "../metrics/setting.js";

/**
 * A scenario file: the world to build, then a timeline of faults and calls. It is the one
 * description of an incident that a test, the CLI (`--scenario`) and the admin API all load.
 */
const Duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = durationMs(value);
  if (ms === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a duration: ${JSON.stringify(value)} (use 1500, "30s", "2m", "1m30s")` });
    return z.NEVER;
  }
  return ms;
});

const Account = z.string().regex(/^\d{12}$/, "account must be 12 digits");
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "region must look like us-east-1");
const Where = { account: Account.optional(), region: Region.optional() };

/** An ECS request body; the operation's own schema validates it when it runs. */
const RequestBody = z.record(z.unknown());

/** The APIs a call may go to: ECS, and the two that scale ECS services. */
export const CALL_SERVICES = ["ecs", "application-autoscaling", "cloudwatch"] as const;

/**
 * One API call. `id` names its answer, so that a later call's input can use a field of it as
 * `${id.Field}` (a step scaling policy's ARN in the alarm that invokes it, for instance).
 */
const Call = z
  .object({
    service: z.enum(CALL_SERVICES).default("ecs"),
    operation: z.string().regex(/^[A-Z][A-Za-z]+$/, "an operation name such as RunTask"),
    input: RequestBody.default({}),
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "letters, digits, - and _").optional(),
    ...Where,
  })
  .strict();

const Fraction = z.number().min(0).max(1);
const Percent = z.string().regex(/^\d+(\.\d+)?%$/, 'a percentage such as "50%"').transform((p) => parseFloat(p) / 100);

const InterruptSpot = z
  .object({
    cluster: z.string().optional(),
    service: z.string().optional(),
    taskArns: z.array(z.string()).optional(),
    count: z.number().int().min(1).optional(),
    fraction: z.union([Fraction, Percent.pipe(Fraction)]).optional(),
    ...Where,
  })
  .strict();

const CapacityShortage = z
  .object({ provider: z.enum(["FARGATE", "FARGATE_SPOT"]), probability: Fraction.default(1), ...Where })
  .strict();

const Faults = z
  .object({
    operation: z.string().min(1),
    probability: Fraction,
  })
  .strict();

const UnpullableImage = z.object({ image: z.string().min(1) }).strict();

/** Exactly one action per step; `for` makes a fault end by itself. */
const StepSchema = z
  .object({
    at: Duration,
    for: Duration.optional(),
    name: z.string().optional(),
    call: Call.optional(),
    interruptSpot: InterruptSpot.optional(),
    capacityShortage: CapacityShortage.optional(),
    throttle: Faults.optional(),
    serverErrors: Faults.optional(),
    quotas: z.record(z.unknown()).optional(),
    unpullableImage: UnpullableImage.optional(),
    launchInstances: InstanceRequestSchema.optional(),
    drainInstances: InstanceSelectorSchema.optional(),
    terminateInstances: InstanceSelectorSchema.extend({ spotNotice: z.boolean().default(false) }).optional(),
    /** A metric's value or series, as PUT /_sim/metrics takes it; series offsets count from the step. */
    metric: MetricSettingSchema.optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const actions = ACTIONS.filter((a) => step[a] !== undefined);
    if (actions.length !== 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `a step takes exactly one of ${ACTIONS.join(", ")} (found ${actions.length ? actions.join(", ") : "none"})`,
      });
    }
    if (step.for !== undefined && (step.call || step.interruptSpot || step.quotas || step.metric || step.launchInstances || step.drainInstances || step.terminateInstances)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["for"], message: "`for` applies to capacityShortage, throttle, serverErrors and unpullableImage" });
    }
  });

export const ACTIONS = [
  "call",
  "interruptSpot",
  "capacityShortage",
  "throttle",
  "serverErrors",
  "quotas",
  "unpullableImage",
  "launchInstances",
  "drainInstances",
  "terminateInstances",
  "metric",
] as const;
export type ActionName = (typeof ACTIONS)[number];

export const ScenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Start-time settings (seed, clock, timing, quotas, spot, ...): the simulator's config keys. */
    config: z.record(z.unknown()).default({}),
    /** Where world resources and steps go unless they say otherwise. */
    ...Where,
    world: z
      .object({
        /** Simulated Auto Scaling groups, created after the clusters and instances (as POST /_sim/autoscaling-groups takes them). */
        autoScalingGroups: z.array(RequestBody).default([]),
        clusters: z.array(RequestBody).default([]),
        /** Simulated EC2 instances, registered after the clusters. */
        containerInstances: z.array(InstanceRequestSchema).default([]),
        taskDefinitions: z.array(RequestBody).default([]),
        services: z.array(RequestBody).default([]),
        tasks: z.array(RequestBody).default([]),
        calls: z.array(Call).default([]),
      })
      .strict()
      .default({}),
    timeline: z.array(StepSchema).default([]),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioStep = z.infer<typeof StepSchema>;
export type ScenarioCall = z.infer<typeof Call>;
