import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { CommandError } from '@event-hub/contracts';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { MicroBatcher } from '../shared/micro-batcher';
import type { IdempotencyClaim } from './idempotency';

export interface RememberedKey {
  requestHash: string;
  correlationId: string;
  accepted: boolean;
}

interface KeyClaim extends IdempotencyClaim {
  correlationId: string;
  command: string;
  tenantId: string;
}

interface PendingRow {
  correlationId: string;
  command: string;
  tenantId: string;
}

export interface CommandReply {
  correlationId: string;
  command: string | null;
  /** The tenant the processor says the command acted in (null from processors before tenancy). */
  tenantId: string | null;
  status: 'COMPLETED' | 'FAILED';
  result: Record<string, unknown> | null;
  error: CommandError | null;
  completedAt: Date;
}

/**
 * The gateway's Postgres writes, in plain SQL: these run on every command, so each is one
 * statement (one round trip), and the frequent ones are group-committed: concurrent commands share
 * one multi-row statement (and one WAL flush) instead of queueing for connections one by one.
 */
@Injectable()
export class CommandStore {
  private readonly pendingRows: MicroBatcher<PendingRow>;
  private readonly acceptedKeys: MicroBatcher<{ key: string; correlationId: string }>;
  private readonly claims: MicroBatcher<KeyClaim, boolean>;
  private readonly idempotencyTtlSeconds: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    // Leave connections for claims, replies and queries.
    const options = {
      maxBatch: 1000,
      maxConcurrent: Math.max(1, Math.floor(config.get('GATEWAY_DB_POOL_SIZE') / 3)),
    };
    this.pendingRows = new MicroBatcher((rows) => this.insertPendingRows(rows), options);
    this.acceptedKeys = new MicroBatcher((keys) => this.markKeysAccepted(keys), options);
    this.claims = new MicroBatcher((claims) => this.claimKeys(claims), options);
    this.idempotencyTtlSeconds = config.get('GATEWAY_IDEMPOTENCY_TTL_SECONDS');
  }

  /** Written before the command is produced, so a reply can never arrive for a missing row. */
  insertPending(correlationId: string, command: string, tenantId: string): Promise<void> {
    return this.pendingRows.add({ correlationId, command, tenantId });
  }

  private async insertPendingRows(rows: PendingRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO command_status (correlation_id, command, tenant_id, status, accepted_at)
       SELECT r.correlation_id, r.command, r.tenant_id, 'PENDING', now()
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[]) AS r(correlation_id, command, tenant_id)
       ON CONFLICT (correlation_id) DO NOTHING`,
      [rows.map((r) => r.correlationId), rows.map((r) => r.command), rows.map((r) => r.tenantId)],
    );
  }

  /**
   * Takes the key for this request (a new key, or one whose previous use expired) and writes the
   * PENDING row in the same statement. False when a live claim of the key exists.
   */
  claimKey(
    claim: IdempotencyClaim,
    correlationId: string,
    command: string,
    tenantId: string,
  ): Promise<boolean> {
    return this.claims.add({ ...claim, correlationId, command, tenantId });
  }

  private async claimKeys(claims: KeyClaim[]): Promise<boolean[]> {
    // One row per key and keys in one order: a statement cannot update a row twice, and two
    // statements locking keys in the same order cannot deadlock. Repeats of a key in the batch
    // lose to its first claim and will find it like any later request.
    const firsts = [...new Map(claims.map((c) => [c.key, c])).values()].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    const rows = (await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::varchar[], $2::char(64)[], $3::uuid[], $4::varchar[], $6::varchar[])
           AS i(key, request_hash, correlation_id, command, tenant_id)
       ), claimed AS (
         INSERT INTO idempotency_keys (key, request_hash, correlation_id, accepted, created_at, expires_at)
         SELECT key, request_hash, correlation_id, false, now(), now() + make_interval(secs => $5) FROM input
         ON CONFLICT (key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, correlation_id = EXCLUDED.correlation_id,
               accepted = false, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= now()
         RETURNING correlation_id
       ), pending AS (
         INSERT INTO command_status (correlation_id, command, tenant_id, status, accepted_at)
         SELECT i.correlation_id, i.command, i.tenant_id, 'PENDING', now()
         FROM input i JOIN claimed c USING (correlation_id)
         ON CONFLICT (correlation_id) DO NOTHING
       )
       SELECT correlation_id FROM claimed`,
      [
        firsts.map((c) => c.key),
        firsts.map((c) => c.requestHash),
        firsts.map((c) => c.correlationId),
        firsts.map((c) => c.command),
        this.idempotencyTtlSeconds,
        firsts.map((c) => c.tenantId),
      ],
    )) as { correlation_id: string }[];
    const won = new Set(rows.map((r) => r.correlation_id));
    return claims.map((c) => won.has(c.correlationId));
  }

  async findKey(key: string): Promise<RememberedKey | undefined> {
    const rows = (await this.db.query(
      `SELECT request_hash, correlation_id, accepted FROM idempotency_keys
       WHERE key = $1 AND expires_at > now()`,
      [key],
    )) as { request_hash: string; correlation_id: string; accepted: boolean }[];
    const row = rows[0];
    return (
      row && {
        requestHash: row.request_hash,
        correlationId: row.correlation_id,
        accepted: row.accepted,
      }
    );
  }

  markAccepted(key: string, correlationId: string): Promise<void> {
    return this.acceptedKeys.add({ key, correlationId });
  }

  private async markKeysAccepted(keys: { key: string; correlationId: string }[]): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys k SET accepted = true
       FROM unnest($1::varchar[], $2::uuid[]) AS a(key, correlation_id)
       WHERE k.key = a.key AND k.correlation_id = a.correlation_id`,
      [keys.map((k) => k.key), keys.map((k) => k.correlationId)],
    );
  }

  /** Forgets a command Kafka did not take: its PENDING row, and its key so a retry can produce. */
  async discard(correlationId: string, key: string | undefined): Promise<void> {
    await this.db.query(
      `WITH forgotten_key AS (
         DELETE FROM idempotency_keys WHERE key = $2 AND correlation_id = $1 AND NOT accepted
       )
       DELETE FROM command_status WHERE correlation_id = $1 AND status = 'PENDING'`,
      [correlationId, key ?? null],
    );
  }

  /**
   * Records replies in one statement. A reply for an id the gateway never wrote (e.g. produced after
   * the client was answered 503) is inserted, so the outcome is never lost.
   */
  async recordReplies(replies: CommandReply[]): Promise<void> {
    if (replies.length === 0) return;
    await this.db.query(
      `INSERT INTO command_status (correlation_id, command, tenant_id, status, result, error, accepted_at, completed_at)
       SELECT r.correlation_id, r.command, r.tenant_id, r.status, r.result, r.error, r.completed_at, r.completed_at
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::varchar[])
         AS r(correlation_id, command, status, result, error, completed_at, tenant_id)
       ON CONFLICT (correlation_id) DO UPDATE
         SET status = EXCLUDED.status, result = EXCLUDED.result, error = EXCLUDED.error,
             completed_at = EXCLUDED.completed_at,
             command = COALESCE(command_status.command, EXCLUDED.command),
             -- The tenant recorded at acceptance wins: a reply never moves a command elsewhere.
             tenant_id = COALESCE(command_status.tenant_id, EXCLUDED.tenant_id)`,
      [
        replies.map((r) => r.correlationId),
        replies.map((r) => r.command),
        replies.map((r) => r.status),
        replies.map((r) => (r.result === null ? null : JSON.stringify(r.result))),
        replies.map((r) => (r.error === null ? null : JSON.stringify(r.error))),
        replies.map((r) => r.completedAt.toISOString()),
        replies.map((r) => r.tenantId),
      ],
    );
  }

  /** Deletes up to `limit` expired keys; returns how many. */
  async deleteExpiredKeys(limit = 10000): Promise<number> {
    const result = (await this.db.query(
      `DELETE FROM idempotency_keys WHERE key IN (
         SELECT key FROM idempotency_keys WHERE expires_at <= now() LIMIT $1
       )`,
      [limit],
    )) as [unknown[], number];
    return result[1];
  }
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/**
 * True when a database error means "Postgres cannot be reached or is overloaded" (worth a 503 and
 * a retry) rather than a bug in a statement.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  // SQL states: 08 connection exception, 53 insufficient resources, 57 operator intervention.
  if (typeof code === 'string') return /^(08|53|57)/.test(code) || NETWORK_ERROR_CODES.has(code);
  const message = cause instanceof Error ? cause.message : '';
  return /connection terminated|connection error|timeout exceeded when trying to connect|not queryable/i.test(
    message,
  );
}
