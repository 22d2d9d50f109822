import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator, type HealthIndicatorFunction } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { ServiceHealth } from '@event-hub/service-runtime';
import { ConsumerHealthIndicator } from '../consumption/consumer.health-indicator';
import { PixStagesHealthIndicator } from '../pix/stages/pix-stages.health-indicator';
import { PixRelayHealthIndicator } from '../pix/relays/pix-relay.health-indicator';
import { UsageConsumerHealthIndicator } from '../usage/usage-consumer-status';

/**
 * The processor's job is its consumers: it is ready while Kafka and Postgres answer and each
 * consumes (commands, usage, the PIX stages) (paused for Postgres, restarting or stopped is not ready; /health/usage: usage alone).
 */
@Injectable()
export class ProcessorHealth extends ServiceHealth {
  constructor(
    private readonly kafka: KafkaHealthIndicator,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly consumer: ConsumerHealthIndicator,
    private readonly usageConsumer: UsageConsumerHealthIndicator,
    private readonly pixRelays: PixRelayHealthIndicator,
    private readonly pixStages: PixStagesHealthIndicator,
  ) {
    super();
  }

  readiness(): HealthIndicatorFunction[] {
    return [
      () => this.kafka.check('kafka'),
      () => this.postgres.pingCheck('postgres', { timeout: 1500 }),
      () => this.consumer.check('consumer'),
      () => this.usageConsumer.check('usageConsumer'),
      () => this.pixStages.antifraud(),
      () => this.pixStages.settlement(),
    ];
  }

  /** Readiness, plus the PIX relays: one that cannot publish is visible here, not a reason to route no work. */
  override report(): HealthIndicatorFunction[] {
    return [
      ...this.readiness(),
      () => this.pixRelays.kafkaOutbox(),
      () => this.pixRelays.notifications(),
    ];
  }
}
