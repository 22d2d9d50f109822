import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import type { ProducedRecordsView } from '../shared/produce.views';

/** A claim without an answer: its request is running, or its gateway died during it. */
export interface PendingClaim {
  claimId: string | null;
  /** See {@link ProduceTransactions.claimant}; null for claims made before it was recorded. */
  claimedBy: string | null;
  claimedAt: Date;
  /** Per Postgres's clock, like `claimedAt`. */
  ageMs: number;
}

export type IdempotencyOutcome =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'replay'; response: ProducedRecordsView }
  | { kind: 'reused' }
  | { kind: 'pending'; claim: PendingClaim }
  | { kind: 'in_progress' };

/**
 * Claims of `Idempotency-Key`s in Postgres, per (client, key): the primary key makes two
 * concurrent requests with one key produce once, across gateway instances. A claim is never taken
 * over on age alone: only once the committed log shows its request was not written (see
 * PendingProduceSettler).
 */
@Injectable()
export class ProduceIdempotencyStore {
  private readonly ttlSeconds: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.ttlSeconds = config.get('GATEWAY_IDEMPOTENCY_TTL_SECONDS');
  }

  async claim(
    clientId: string,
    key: string,
    requestHash: string,
    claimedBy: string,
  ): Promise<IdempotencyOutcome> {
    const claimId = randomUUID();
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO produce_idempotency_keys
         (client_id, key, request_hash, response, claimed_at, expires_at, claim_id, claimed_by)
       VALUES ($1, $2, $3, NULL, now(), now() + make_interval(secs => $4), $5, $6)
       ON CONFLICT (client_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response = NULL,
             claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at,
             claim_id = EXCLUDED.claim_id, claimed_by = EXCLUDED.claimed_by
         WHERE produce_idempotency_keys.expires_at < now()
       RETURNING 1`,
      [clientId, key, requestHash, this.ttlSeconds, claimId, claimedBy],
    );
    if (claimed.length > 0) return { kind: 'claimed', claimId };
    const rows: {
      request_hash: string;
      response: ProducedRecordsView | null;
      claim_id: string | null;
      claimed_by: string | null;
      claimed_at: Date;
      age_ms: number;
    }[] = await this.db.query(
      `SELECT request_hash, response, claim_id, claimed_by, claimed_at,
              (extract(epoch FROM now() - claimed_at) * 1000)::float8 AS age_ms
         FROM produce_idempotency_keys WHERE client_id = $1 AND key = $2`,
      [clientId, key],
    );
    const row = rows[0];
    // Deleted in between (a failed first attempt released it): the client may simply retry.
    if (!row) return { kind: 'in_progress' };
    if (row.request_hash !== requestHash) return { kind: 'reused' };
    if (row.response) return { kind: 'replay', response: row.response };
    return {
      kind: 'pending',
      claim: {
        claimId: row.claim_id,
        claimedBy: row.claimed_by,
        claimedAt: new Date(row.claimed_at),
        ageMs: Number(row.age_ms),
      },
    };
  }

  /**
   * Takes over a pending claim whose request is proven not written; undefined when someone else
   * changed it first (another settler, or its answer arrived).
   */
  async takeOver(
    clientId: string,
    key: string,
    previous: PendingClaim,
    claimedBy: string,
  ): Promise<string | undefined> {
    const claimId = randomUUID();
    const taken: unknown[] = await this.db.query(
      `UPDATE produce_idempotency_keys
          SET claim_id = $4, claimed_by = $5, claimed_at = now()
        WHERE client_id = $1 AND key = $2 AND response IS NULL
          AND claim_id IS NOT DISTINCT FROM $3::uuid
       RETURNING 1`,
      [clientId, key, previous.claimId, claimId, claimedBy],
    );
    return taken.length > 0 ? claimId : undefined;
  }

  async complete(clientId: string, key: string, response: ProducedRecordsView): Promise<void> {
    await this.db.query(
      'UPDATE produce_idempotency_keys SET response = $3 WHERE client_id = $1 AND key = $2',
      [clientId, key, JSON.stringify(response)],
    );
  }

  /** The request was not produced: its key is free for the retry (if the claim is still ours). */
  async release(clientId: string, key: string, claimId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM produce_idempotency_keys
        WHERE client_id = $1 AND key = $2 AND response IS NULL AND claim_id = $3`,
      [clientId, key, claimId],
    );
  }

  async deleteExpired(): Promise<number> {
    const [, deleted] = (await this.db.query(
      'DELETE FROM produce_idempotency_keys WHERE expires_at < now()',
    )) as [unknown[], number];
    return deleted;
  }
}
