import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MonitorStatus } from '../ingestion/monitor-status';

/**
 * The monitor's own state next to its dependencies. It is "up" while every record read is on its
 * way to storage, also while spilling to the fallback directory (the separate `elasticsearch`
 * entry is then down, so /health answers 503 as for any dependency down, and this entry shows
 * that nothing is lost: mode, backlog bytes and files, age of the oldest record not yet indexed).
 * It is "down" when consumption is paused because the fallback directory is full, or when a
 * record has waited in Kafka longer than MONITOR_MAX_UNINDEXED_AGE_MS (`stalled`, measured from
 * the broker's end offsets, so a consumer that stopped reading cannot hide it).
 */
@Injectable()
export class MonitorHealthIndicator {
  constructor(
    private readonly status: MonitorStatus,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'monitor'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const snapshot = this.status.snapshot();
    return snapshot.paused || snapshot.stalled
      ? indicator.down({ ...snapshot })
      : indicator.up({ ...snapshot });
  }
}
