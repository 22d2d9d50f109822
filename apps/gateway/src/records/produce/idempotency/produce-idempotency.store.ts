import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import type { ProducedRecordsView } from '../shared/produce.views';

export type IdempotencyOutcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: ProducedRecordsView }
  | { kind: 'reused' }
  | { kind: 'in_progress' };

/**
 * Claims of `Idempotency-Key`s in Postgres, per (client, key): the primary key makes two
 * concurrent requests with one key produce once, across gateway instances.
 */
@Injectable()
export class ProduceIdempotencyStore {
  private readonly ttlSeconds: number;
  /**
   * A claim without a response older than this belongs to a request that can no longer finish
   * (its instance died): its transaction was aborted by the deadline or by fencing, so the key may
   * be claimed again.
   */
  private readonly staleClaimMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.ttlSeconds = config.get('GATEWAY_IDEMPOTENCY_TTL_SECONDS');
    this.staleClaimMs = 3 * config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
  }

  async claim(clientId: string, key: string, requestHash: string): Promise<IdempotencyOutcome> {
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO produce_idempotency_keys (client_id, key, request_hash, response, claimed_at, expires_at)
       VALUES ($1, $2, $3, NULL, now(), now() + make_interval(secs => $4))
       ON CONFLICT (client_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response = NULL,
             claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
         WHERE produce_idempotency_keys.expires_at < now()
            OR (produce_idempotency_keys.response IS NULL
                AND produce_idempotency_keys.claimed_at < now() - make_interval(secs => $5))
       RETURNING 1`,
      [clientId, key, requestHash, this.ttlSeconds, this.staleClaimMs / 1000],
    );
    if (claimed.length > 0) return { kind: 'claimed' };
    const rows: { request_hash: string; response: ProducedRecordsView | null }[] =
      await this.db.query(
        'SELECT request_hash, response FROM produce_idempotency_keys WHERE client_id = $1 AND key = $2',
        [clientId, key],
      );
    const row = rows[0];
    // Deleted in between (a failed first attempt released it): the client may simply retry.
    if (!row) return { kind: 'in_progress' };
    if (row.request_hash !== requestHash) return { kind: 'reused' };
    return row.response ? { kind: 'replay', response: row.response } : { kind: 'in_progress' };
  }

  async complete(clientId: string, key: string, response: ProducedRecordsView): Promise<void> {
    await this.db.query(
      'UPDATE produce_idempotency_keys SET response = $3 WHERE client_id = $1 AND key = $2',
      [clientId, key, JSON.stringify(response)],
    );
  }

  /** The request was not produced: its key is free for the retry. */
  async release(clientId: string, key: string): Promise<void> {
    await this.db.query(
      'DELETE FROM produce_idempotency_keys WHERE client_id = $1 AND key = $2 AND response IS NULL',
      [clientId, key],
    );
  }

  async deleteExpired(): Promise<number> {
    const [, deleted] = (await this.db.query(
      'DELETE FROM produce_idempotency_keys WHERE expires_at < now()',
    )) as [unknown[], number];
    return deleted;
  }
}
