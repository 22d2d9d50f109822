import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { CommandStore } from './command-store';

/**
 * Deletes expired Idempotency-Keys now and then. Expired keys are already ignored when claimed or
 * looked up, so this only keeps the table small; every instance may run it, overlaps are harmless.
 */
@Injectable()
export class IdempotencyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyCleanup.name);
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly store: CommandStore,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.intervalMs = config.get('GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.deleteExpired(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async deleteExpired(): Promise<number> {
    try {
      const deleted = await this.store.deleteExpiredKeys();
      if (deleted > 0) this.logger.log(`deleted ${deleted} expired Idempotency-Keys`);
      return deleted;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not delete expired Idempotency-Keys; will try again');
      return 0;
    }
  }
}
