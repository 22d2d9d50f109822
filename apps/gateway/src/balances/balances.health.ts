import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BalanceViewService } from './balance-view.service';

/**
 * Up once the balance view caught up to the end offsets it saw at start; the entry shows the lag
 * (from the high watermarks the broker reported with the last fetches) either way.
 */
@Injectable()
export class BalancesHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly balances: BalanceViewService,
  ) {}

  check(key = 'balances'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const status = this.balances.view.current();
    const details = {
      lag: status.lag,
      accounts: status.accounts,
      start: status.start,
      recordsRead: status.recordsRead,
      ...(status.caughtUpMs === undefined ? {} : { caughtUpMs: status.caughtUpMs }),
      ...(status.rebuildReason === undefined ? {} : { rebuildReason: status.rebuildReason }),
    };
    if (status.failure) return indicator.down({ ...details, message: status.failure });
    if (!status.ready) {
      return indicator.down({ ...details, message: 'catching up with the balance topic' });
    }
    return indicator.up(details);
  }
}
