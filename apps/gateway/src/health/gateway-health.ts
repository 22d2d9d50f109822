import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator, type HealthIndicatorFunction } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { ServiceHealth } from '@event-hub/service-runtime';

/** The gateway serves while Kafka and Postgres answer; its report is the same two entries. */
@Injectable()
export class GatewayHealth extends ServiceHealth {
  constructor(
    private readonly kafka: KafkaHealthIndicator,
    private readonly postgres: TypeOrmHealthIndicator,
  ) {
    super();
  }

  readiness(): HealthIndicatorFunction[] {
    return [
      () => this.kafka.check('kafka'),
      () => this.postgres.pingCheck('postgres', { timeout: 1500 }),
    ];
  }
}
