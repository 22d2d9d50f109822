import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PIX_EXCHANGE } from '@event-hub/contracts';
import { RabbitChannel } from '@event-hub/rabbitmq';
import { RabbitOutboxRelay } from '../notification/rabbit-outbox-relay';
import { OutboxPump, type PumpStatus } from './outbox-pump';
import { PixOutboxSignal } from './outbox-signal';
import { PixRelayMetrics } from './pix-relay.metrics';
import { PIX_RELAY_SETTINGS, type PixRelaySettings } from './pix-relay.settings';

/**
 * Runs {@link RabbitOutboxRelay} for the life of the processor, like {@link KafkaOutboxRelayRunner}.
 * RabbitMQ being down is an expected state, not a crash: the relay postpones the rows with a
 * growing backoff, this runner keeps going, and /health and the failure counter say so. The
 * connection is closed after the last round, before the DataSource and the producer close.
 */
@Injectable()
export class RabbitOutboxRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly pump: OutboxPump;
  private readonly channel: RabbitChannel;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @InjectDataSource() source: DataSource,
    @Inject(PIX_RELAY_SETTINGS) settings: PixRelaySettings,
    metrics: PixRelayMetrics,
    private readonly signal: PixOutboxSignal,
  ) {
    this.channel = new RabbitChannel(settings.rabbitUrl, [PIX_EXCHANGE]);
    const relay = new RabbitOutboxRelay(source, this.channel, {
      batchSize: settings.batchSize,
      initialBackoffMs: settings.notifyBackoffMs,
      maxBackoffMs: settings.notifyMaxBackoffMs,
    });
    this.pump = new OutboxPump(
      RabbitOutboxRelayRunner.name,
      async () => {
        const round = await relay.publishPending();
        // Confirmed notifications committed their pix.notification.sent and audit records.
        if ('published' in round && round.published > 0) signal.committed('kafka');
        return 'published' in round
          ? { published: round.published, failed: 0 }
          : { published: 0, failed: round.failed, error: round.error };
      },
      { ...settings, emptyRoundClears: false },
      (round) => {
        if (round.published > 0)
          metrics.published.inc({ destination: 'rabbitmq' }, round.published);
        if (round.failed > 0) metrics.failures.inc({ destination: 'rabbitmq' }, round.failed);
        else if (round.error !== undefined) metrics.failures.inc({ destination: 'rabbitmq' });
      },
    );
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signal.subscribe('rabbitmq', () => this.pump.nudge());
    this.pump.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.pump.stop();
    await this.channel.close();
  }

  status(): PumpStatus {
    return this.pump.status();
  }
}
