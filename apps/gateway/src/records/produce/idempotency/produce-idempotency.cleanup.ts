import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { ProduceIdempotencyStore } from './produce-idempotency.store';

/** Deletes expired produce Idempotency-Keys now and then (expired ones are already ignored). */
@Injectable()
export class ProduceIdempotencyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProduceIdempotencyCleanup.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ProduceIdempotencyStore,
    private readonly config: ConfigService<GatewayEnvironment, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.store.deleteExpired().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not delete expired produce Idempotency-Keys');
      });
    }, this.config.get('GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS'));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
