import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { PumpStatus } from './outbox-pump';
import { KafkaOutboxRelayRunner } from './kafka-outbox-relay.runner';
import { OutboxBacklogMonitor } from './outbox-backlog.monitor';
import { RabbitOutboxRelayRunner } from './rabbit-outbox-relay.runner';
import type { OutboxDestination } from './pix-relay.metrics';

/**
 * The relays' entries of the detailed /health report: down while rounds keep failing, with the
 * last error and the rows waiting. Not part of readiness: a relay that cannot publish keeps its
 * rows and catches up, and the stages go on writing meanwhile.
 */
@Injectable()
export class PixRelayHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly kafkaRelay: KafkaOutboxRelayRunner,
    private readonly rabbitRelay: RabbitOutboxRelayRunner,
    private readonly backlog: OutboxBacklogMonitor,
  ) {}

  /** Down while RabbitMQ does not take the notifications (they wait in the outbox meanwhile). */
  notifications(key = 'pixNotifications'): HealthIndicatorResult {
    return this.entry(key, 'rabbitmq', this.rabbitRelay.status());
  }

  kafkaOutbox(key = 'pixKafkaOutbox'): HealthIndicatorResult {
    return this.entry(key, 'kafka', this.kafkaRelay.status());
  }

  private entry(
    key: string,
    destination: OutboxDestination,
    status: PumpStatus,
  ): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const details = { ...status, pending: this.backlog.pendingFor(destination) };
    return status.running && status.consecutiveFailures === 0
      ? indicator.up(details)
      : indicator.down(details);
  }
}
