import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { UsageEventData } from '@event-hub/contracts';
import { CoalescingProducer, KafkaProducer } from '@event-hub/kafka';
import { UsageMeter } from './usage-meter';
import { UsageEvents } from './usage-events';

/**
 * Meters consumption with the service's idempotent producer (acks=all), coalescing the usage
 * events of concurrent consume requests into shared produce requests.
 */
@Injectable()
export class KafkaUsageMeter extends UsageMeter implements BeforeApplicationShutdown {
  private readonly coalescing: CoalescingProducer;

  constructor(
    kafka: KafkaProducer,
    private readonly events: UsageEvents,
  ) {
    super();
    this.coalescing = new CoalescingProducer(kafka.producer);
  }

  async meterConsumption(usage: Omit<UsageEventData, 'action'>): Promise<void> {
    await this.coalescing.send(
      this.events.topic,
      this.events.message({ ...usage, action: 'consume' }),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.coalescing.close();
  }
}
