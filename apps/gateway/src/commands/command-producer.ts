import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Message } from 'kafkajs';
import { CoalescingProducer, KafkaProducer, type CoalescedAck } from '@event-hub/kafka';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { GatewayMetrics } from '../metrics/gateway.metrics';

/**
 * The gateway's way into Kafka: every command goes through one coalescing producer on the shared
 * idempotent producer, so concurrent requests share produce requests (acks=all).
 */
@Injectable()
export class CommandProducer implements BeforeApplicationShutdown {
  readonly topic: string;
  private readonly coalescing: CoalescingProducer;

  constructor(
    kafka: KafkaProducer,
    config: ConfigService<GatewayEnvironment, true>,
    metrics: GatewayMetrics,
  ) {
    this.topic = config.get('GATEWAY_COMMAND_TOPIC');
    this.coalescing = new CoalescingProducer(kafka.producer, {
      lingerMs: config.get('GATEWAY_LINGER_MS'),
      maxBatchRecords: config.get('GATEWAY_MAX_BATCH_RECORDS'),
      maxBatchBytes: config.get('GATEWAY_MAX_BATCH_BYTES'),
      maxPendingRecords: config.get('GATEWAY_MAX_PENDING_COMMANDS'),
      onBatch: (report) => {
        metrics.batchRecords.observe(report.records);
        metrics.batchSeconds.observe(
          { outcome: report.error ? 'failed' : 'acked' },
          report.durationMs / 1000,
        );
      },
    });
  }

  send(message: Message, signal: AbortSignal): Promise<CoalescedAck> {
    return this.coalescing.send(this.topic, message, { signal });
  }

  /** Commands already taken get their chance to be acknowledged before the producer disconnects. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.coalescing.close();
  }
}
