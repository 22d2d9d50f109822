import {
  Logger,
  type FactoryProvider,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../config/gateway.environment';

/**
 * Deletes expired rows (Idempotency-Keys) every `intervalMs`. Expired rows are already ignored
 * when looked up, so this only keeps a table small; every instance may run it, overlaps are
 * harmless, and a failed round is simply tried again at the next one.
 */
export class ExpiredRowsCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredRowsCleanup.name);
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param what the rows, as the log names them
   * @param deleteExpiredRows deletes what has expired; resolves to how many rows
   */
  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly deleteExpiredRows: () => Promise<number>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.deleteExpired(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async deleteExpired(): Promise<number> {
    try {
      const deleted = await this.deleteExpiredRows();
      if (deleted > 0) this.logger.log(`deleted ${deleted} expired ${this.what}`);
      return deleted;
    } catch (error) {
      this.logger.warn({ err: error }, `could not delete expired ${this.what}; will try again`);
      return 0;
    }
  }
}

/**
 * A cleanup of `what` through `store`, every GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS. Each feature
 * that keeps Idempotency-Keys lists one among its providers.
 */
export function expiredRowsCleanup<Store>(
  what: string,
  store: Type<Store>,
  deleteExpired: (store: Store) => Promise<number>,
): FactoryProvider<ExpiredRowsCleanup> {
  return {
    provide: `cleanup of expired ${what}`,
    inject: [store, ConfigService],
    useFactory: (instance: Store, config: ConfigService<GatewayEnvironment, true>) =>
      new ExpiredRowsCleanup(what, config.get('GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS'), () =>
        deleteExpired(instance),
      ),
  };
}
