import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { ExpiredRowsCleanup } from '../../../shared/expired-rows-cleanup';
import { ProduceIdempotencyStore } from './produce-idempotency.store';

/** Deletes expired produce Idempotency-Keys now and then. */
@Injectable()
export class ProduceIdempotencyCleanup extends ExpiredRowsCleanup {
  constructor(
    private readonly store: ProduceIdempotencyStore,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    super('produce Idempotency-Keys', config.get('GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS'));
  }

  protected deleteExpiredRows(): Promise<number> {
    return this.store.deleteExpired();
  }
}
