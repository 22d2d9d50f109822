import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator, type HealthIndicatorFunction } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { ServiceHealth } from '@event-hub/service-runtime';
import { BalancesHealthIndicator } from '../balances/balances.health';

/**
 * The gateway serves while Kafka and Postgres answer and its balance view has caught up with the
 * balance topic; its report is the same entries (the balances entry shows the view's lag).
 */
@Injectable()
export class GatewayHealth extends ServiceHealth {
  constructor(
    private readonly kafka: KafkaHealthIndicator,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly balances: BalancesHealthIndicator,
  ) {
    super();
  }

  readiness(): HealthIndicatorFunction[] {
    return [
      () => this.kafka.check('kafka'),
      () => this.postgres.pingCheck('postgres', { timeout: 1500 }),
      () => this.balances.check('balances'),
    ];
  }
}
