import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KafkaProducer } from '@event-hub/kafka';
import { KafkaOutboxRelay } from '../outbox/kafka-outbox-relay';
import { OutboxPump, type PumpStatus } from './outbox-pump';
import { PixOutboxSignal } from './outbox-signal';
import { PixRelayMetrics } from './pix-relay.metrics';
import { PIX_RELAY_SETTINGS, type PixRelaySettings } from './pix-relay.settings';

/**
 * Runs {@link KafkaOutboxRelay} for the life of the processor. It starts once the app is
 * bootstrapped (migrations applied, producer connected) and stops in `onModuleDestroy`, which Nest
 * runs for every module before any `onApplicationShutdown`: the round under way finishes while the
 * producer (closed in KafkaProducer.onApplicationShutdown) and the DataSource (closed by TypeORM's
 * module in its onApplicationShutdown) are still open.
 */
@Injectable()
export class KafkaOutboxRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly pump: OutboxPump;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @InjectDataSource() source: DataSource,
    producer: KafkaProducer,
    @Inject(PIX_RELAY_SETTINGS) settings: PixRelaySettings,
    metrics: PixRelayMetrics,
    private readonly signal: PixOutboxSignal,
  ) {
    const relay = new KafkaOutboxRelay(source, producer.producer, settings);
    this.pump = new OutboxPump(
      KafkaOutboxRelayRunner.name,
      async () => {
        const { rows, records } = await relay.publishPending();
        return { published: records, rows, failed: 0 };
      },
      { ...settings, emptyRoundClears: true },
      (round) => {
        if (round.published > 0) metrics.published.inc({ destination: 'kafka' }, round.published);
        if (round.error !== undefined) metrics.failures.inc({ destination: 'kafka' });
      },
    );
  }

  onApplicationBootstrap(): void {
    // The stages' commits wake the relay: a payment's records leave as soon as they are committed
    // instead of at the next poll.
    this.unsubscribe = this.signal.subscribe('kafka', () => this.pump.nudge());
    this.pump.start();
  }

  onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    return this.pump.stop();
  }

  status(): PumpStatus {
    return this.pump.status();
  }
}
