import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerStatus } from '../consumption/consumer-status';
import { ConsumerHealthIndicator } from '../consumption/consumer.health-indicator';

/** What the usage consumer is doing: the command consumer's status type, a separate instance. */
@Injectable()
export class UsageConsumerStatus extends ConsumerStatus {}

/** Up only while the usage consumer is consuming: paused for Postgres, restarting or stopped is down. */
@Injectable()
export class UsageConsumerHealthIndicator extends ConsumerHealthIndicator {
  constructor(health: HealthIndicatorService, status: UsageConsumerStatus) {
    super(health, status);
  }
}
