import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Deletes expired rows (Idempotency-Keys) every `intervalMs`. Expired rows are already ignored
 * when looked up, so this only keeps a table small; every instance may run it, overlaps are
 * harmless, and a failed round is simply tried again at the next one.
 */
export abstract class ExpiredRowsCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    private readonly what: string,
    private readonly intervalMs: number,
  ) {}

  /** Deletes what has expired; how many rows. */
  protected abstract deleteExpiredRows(): Promise<number>;

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
