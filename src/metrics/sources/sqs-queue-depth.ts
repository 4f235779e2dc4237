import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Scope } from "../../domain/scope.js";
import type { SqsQueueConfig } from "../config.js";
import type { MetricSample, MetricSource } from "./source.js";

/**
 * ApproximateNumberOfMessagesVisible (AWS/SQS, QueueName) of a queue the user configured, read
 * with GetQueueAttributes from its real endpoint every `periodSeconds`: what a step or target
 * tracking policy on queue depth watches on AWS.
 */
export class SqsQueueDepthSource implements MetricSource {
  readonly name: string;
  readonly periodMs: number;
  /** The SDK client loads only when an SQS source is configured: other simulators never pay for it. */
  private client?: Promise<{ client: SQSClient; command: typeof import("@aws-sdk/client-sqs").GetQueueAttributesCommand }>;
  private readonly queueName: string;

  constructor(
    private readonly queue: SqsQueueConfig,
    private readonly scope: Scope,
  ) {
    this.queueName = new URL(queue.queueUrl).pathname.split("/").filter(Boolean).pop() ?? queue.queueUrl;
    this.name = `SQS queue ${this.queueName}`;
    this.periodMs = queue.periodSeconds * 1000;
  }

  /** Loads the SDK client; the simulator awaits it at start when SQS sources are configured. */
  async ready(): Promise<void> {
    await this.sqs();
  }

  private sqs() {
    this.client ??= import("@aws-sdk/client-sqs").then((sdk) => ({
      client: new sdk.SQSClient({
        region: this.queue.region ?? this.scope.region,
        ...(this.queue.endpoint ? { endpoint: this.queue.endpoint } : {}),
        ...(this.queue.credentials ? { credentials: this.queue.credentials } : {}),
        maxAttempts: 1,
      }),
      command: sdk.GetQueueAttributesCommand,
    }));
    return this.client;
  }

  needed(): boolean {
    return true;
  }

  async sample(): Promise<MetricSample[]> {
    const { client, command } = await this.sqs();
    const out = await client.send(new command({ QueueUrl: this.queue.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    // The queue attribute ApproximateNumberOfMessages is what CloudWatch names ...Visible.
    const value = Number(out.Attributes?.ApproximateNumberOfMessages);
    if (!Number.isFinite(value)) return [];
    const id = { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: this.queueName }] };
    return [{ scope: { account: this.queue.account ?? this.scope.account, region: this.queue.metricRegion ?? this.scope.region }, id, values: [value] }];
  }

  close(): void {
    void this.client?.then(({ client }) => client.destroy());
  }
}
