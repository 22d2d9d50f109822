import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { ExpiredRowsCleanup } from '../shared/expired-rows-cleanup';
import { CommandStore } from './command-store';

/** Deletes expired command Idempotency-Keys now and then. */
@Injectable()
export class IdempotencyCleanup extends ExpiredRowsCleanup {
  constructor(
    private readonly store: CommandStore,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    super('Idempotency-Keys', config.get('GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS'));
  }

  protected deleteExpiredRows(): Promise<number> {
    return this.store.deleteExpiredKeys();
  }
}
