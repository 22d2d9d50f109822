import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ConsumerStatus } from './consumer-status';

/** Up only while the command consumer is consuming: paused, restarting or stopped is down. */
@Injectable()
export class ConsumerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly status: ConsumerStatus,
  ) {}

  check(key = 'consumer'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const snapshot = this.status.snapshot();
    const details = { ...snapshot };
    return snapshot.state === 'running' ? indicator.up(details) : indicator.down(details);
  }
}
