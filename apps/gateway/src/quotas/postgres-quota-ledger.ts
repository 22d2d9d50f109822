import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { QUOTA_WINDOWS_TABLE } from './migrations/1764420000000-create-quota-windows';
import { QuotaMetrics } from './quota.metrics';
import { RateLimiterQuotaLedger } from './rate-limiter-quota-ledger';

/** A lease is on the produce and consume path: a store slower than this is treated as down. */
export const LEDGER_TIMEOUT_MS = 250;
/** While the store is down, it is tried again this often (the requests between use local windows). */
export const LEDGER_RETRY_MS = 1000;

/**
 * The quota ledger in the gateway's Postgres, shared by every gateway instance, through the data
 * source's pool. The table is created by the quotas migration, not by the library at run time.
 * Its rows are one per tenant, direction and unit, reused window after window, so it needs no
 * clean-up of expired rows.
 */
@Injectable()
export class PostgresQuotaLedger extends RateLimiterQuotaLedger {
  private static readonly logger = new Logger(PostgresQuotaLedger.name);

  constructor(@InjectDataSource() dataSource: DataSource, metrics: QuotaMetrics) {
    super(
      (perSecond) =>
        new RateLimiterPostgres({
          storeClient: dataSource,
          storeType: 'typeorm',
          tableName: QUOTA_WINDOWS_TABLE,
          tableCreated: true,
          clearExpiredByTimeout: false,
          keyPrefix: 'quota',
          points: perSecond,
          duration: 1,
        }),
      {
        timeoutMs: LEDGER_TIMEOUT_MS,
        retryMs: LEDGER_RETRY_MS,
        onFallback: (error) => {
          metrics.ledgerFallbacks.inc();
          PostgresQuotaLedger.logger.warn(
            `Quota windows in Postgres unreachable (${String(error)}): each gateway instance ` +
              'enforces the quotas on its own until it is back',
          );
        },
        onRecovery: () =>
          PostgresQuotaLedger.logger.log(
            'Quota windows in Postgres reachable again: quotas shared',
          ),
      },
    );
  }
}
