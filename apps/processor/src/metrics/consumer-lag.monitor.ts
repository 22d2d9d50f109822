import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { ProcessorMetrics } from './processor.metrics';

/**
 * Measures the consumer group's lag per partition (log end offset minus committed offset) every
 * PROCESSOR_LAG_INTERVAL_MS with two admin requests, instead of on every batch.
 */
@Injectable()
export class ConsumerLagMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConsumerLagMonitor.name);
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private measuring = false;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(PROCESSOR_SETTINGS) private readonly settings: ProcessorSettings,
    private readonly metrics: ProcessorMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.lagIntervalMs === 0) return;
    this.timer = setInterval(() => void this.measure(), this.settings.lagIntervalMs);
    this.timer.unref();
    void this.measure();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
  }

  async measure(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    const { groupId, commandTopic: topic } = this.settings;
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      const [committed, ends] = await Promise.all([
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
        this.admin.fetchTopicOffsets(topic),
      ]);
      const committedByPartition = new Map(
        (committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [
          p.partition,
          p.offset,
        ]),
      );
      for (const end of ends) {
        const offset = committedByPartition.get(end.partition);
        // Nothing committed yet: the whole retained log is still to be read.
        const from = offset === undefined || offset === '-1' ? BigInt(end.low) : BigInt(offset);
        const lag = BigInt(end.high) - from;
        this.metrics.consumerLag.set(
          { topic, partition: String(end.partition), group: groupId },
          Number(lag > 0n ? lag : 0n),
        );
      }
    } catch (error) {
      this.logger.debug(`could not measure consumer lag: ${(error as Error).message}`);
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    } finally {
      this.measuring = false;
    }
  }
}
