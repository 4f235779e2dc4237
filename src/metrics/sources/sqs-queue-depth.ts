import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
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
  private readonly client: SQSClient;
  private readonly queueName: string;

  constructor(
    private readonly queue: SqsQueueConfig,
    private readonly scope: Scope,
  ) {
    this.queueName = new URL(queue.queueUrl).pathname.split("/").filter(Boolean).pop() ?? queue.queueUrl;
    this.name = `SQS queue ${this.queueName}`;
    this.periodMs = queue.periodSeconds * 1000;
    this.client = new SQSClient({
      region: queue.region ?? scope.region,
      ...(queue.endpoint ? { endpoint: queue.endpoint } : {}),
      ...(queue.credentials ? { credentials: queue.credentials } : {}),
      maxAttempts: 1,
    });
  }

  needed(): boolean {
    return true;
  }

  async sample(): Promise<MetricSample[]> {
    const out = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.queue.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    // The queue attribute ApproximateNumberOfMessages is what CloudWatch names ...Visible.
    const value = Number(out.Attributes?.ApproximateNumberOfMessages);
    if (!Number.isFinite(value)) return [];
    const id = { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: this.queueName }] };
    return [{ scope: { account: this.queue.account ?? this.scope.account, region: this.queue.metricRegion ?? this.scope.region }, id, values: [value] }];
  }

  close(): void {
    this.client.destroy();
  }
}
