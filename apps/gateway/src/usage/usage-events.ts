import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Kafka, Message } from 'kafkajs';
import {
  createEnvelope,
  envelopeHeaders,
  USAGE_EVENT_TYPE,
  type UsageEventData,
} from '@event-hub/contracts';
import { KAFKA_CLIENT } from '@event-hub/kafka';
import type { GatewayEnvironment } from '../config/gateway.environment';

/** Where the gateway's usage events go, and how one is written. */
@Injectable()
export class UsageEvents implements OnApplicationBootstrap {
  readonly topic: string;
  private partitions: number | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.topic = config.get('GATEWAY_USAGE_TOPIC');
  }

  /** Learns the topic's partition count up front: the produce transaction places records itself. */
  async onApplicationBootstrap(): Promise<void> {
    await this.partitionCount();
  }

  async partitionCount(): Promise<number> {
    this.partitions ??= await this.fetchPartitionCount();
    return this.partitions;
  }

  /**
   * Retries what a broker may answer about a topic created moments ago (no leader yet, or even
   * "unknown topic" from a KRaft broker that just started).
   */
  private async fetchPartitionCount(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + 20000;
      for (;;) {
        try {
          const { topics } = await admin.fetchTopicMetadata({ topics: [this.topic] });
          const partitions = topics[0]?.partitions ?? [];
          if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) {
            return partitions.length;
          }
        } catch (error) {
          if ((error as { retriable?: unknown }).retriable !== true || Date.now() > deadline) {
            throw error;
          }
        }
        if (Date.now() > deadline) throw new Error(`usage topic ${this.topic} has no leaders`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * One usage event, keyed by tenant (billing aggregates per tenant; the key keeps one tenant's
   * events in order). The envelope's eventId is what the aggregator deduplicates on.
   */
  message(usage: UsageEventData): Message {
    const envelope = createEnvelope({
      eventType: USAGE_EVENT_TYPE,
      source: 'gateway',
      tenantId: usage.tenant,
      clientId: usage.clientId,
      data: usage,
    });
    return {
      key: usage.tenant,
      value: JSON.stringify(envelope),
      headers: envelopeHeaders(envelope, usage.tenant),
    };
  }
}
