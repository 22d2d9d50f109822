import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { ConsumerStatus } from '../../consumption/consumer-status';
import { PixStageStatuses } from './pix-stage.consumer';

/** Up while each PIX stage consumer consumes, like the command consumer's entry. */
@Injectable()
export class PixStagesHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly statuses: PixStageStatuses,
  ) {}

  antifraud(key = 'pixAntifraudConsumer'): HealthIndicatorResult {
    return this.entry(key, this.statuses.antifraud);
  }

  settlement(key = 'pixSettlementConsumer'): HealthIndicatorResult {
    return this.entry(key, this.statuses.settlement);
  }

  private entry(key: string, status: ConsumerStatus): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const snapshot = status.snapshot();
    return snapshot.state === 'running'
      ? indicator.up({ ...snapshot })
      : indicator.down({ ...snapshot });
  }
}
