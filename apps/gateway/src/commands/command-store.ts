import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { CommandError } from '@event-hub/contracts';
import type { IdempotencyClaim } from './idempotency';

export interface RememberedKey {
  requestHash: string;
  correlationId: string;
  accepted: boolean;
}

export interface CommandReply {
  correlationId: string;
  command: string | null;
  status: 'COMPLETED' | 'FAILED';
  result: Record<string, unknown> | null;
  error: CommandError | null;
  completedAt: Date;
}

/**
 * The gateway's Postgres writes, in plain SQL: these run on every command, so each is one
 * statement (one round trip), and several rows are written with one statement where possible.
 */
@Injectable()
export class CommandStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Written before the command is produced, so a reply can never arrive for a missing row. */
  async insertPending(correlationId: string, command: string): Promise<void> {
    await this.db.query(
      `INSERT INTO command_status (correlation_id, command, status, accepted_at)
       VALUES ($1, $2, 'PENDING', now())
       ON CONFLICT (correlation_id) DO NOTHING`,
      [correlationId, command],
    );
  }

  /**
   * Takes the key for this request (a new key, or one whose previous use expired) and writes the
   * PENDING row in the same statement. False when a live claim of the key exists.
   */
  async claimKey(
    claim: IdempotencyClaim,
    correlationId: string,
    command: string,
    ttlSeconds: number,
  ): Promise<boolean> {
    const rows = (await this.db.query(
      `WITH claimed AS (
         INSERT INTO idempotency_keys (key, request_hash, correlation_id, accepted, created_at, expires_at)
         VALUES ($1, $2, $3, false, now(), now() + make_interval(secs => $5))
         ON CONFLICT (key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, correlation_id = EXCLUDED.correlation_id,
               accepted = false, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= now()
         RETURNING correlation_id
       ), pending AS (
         INSERT INTO command_status (correlation_id, command, status, accepted_at)
         SELECT correlation_id, $4, 'PENDING', now() FROM claimed
         ON CONFLICT (correlation_id) DO NOTHING
       )
       SELECT correlation_id FROM claimed`,
      [claim.key, claim.requestHash, correlationId, command, ttlSeconds],
    )) as unknown[];
    return rows.length === 1;
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

  async markAccepted(key: string, correlationId: string): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET accepted = true WHERE key = $1 AND correlation_id = $2`,
      [key, correlationId],
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
      `INSERT INTO command_status (correlation_id, command, status, result, error, accepted_at, completed_at)
       SELECT r.correlation_id, r.command, r.status, r.result, r.error, r.completed_at, r.completed_at
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::jsonb[], $5::jsonb[], $6::timestamptz[])
         AS r(correlation_id, command, status, result, error, completed_at)
       ON CONFLICT (correlation_id) DO UPDATE
         SET status = EXCLUDED.status, result = EXCLUDED.result, error = EXCLUDED.error,
             completed_at = EXCLUDED.completed_at,
             command = COALESCE(command_status.command, EXCLUDED.command)`,
      [
        replies.map((r) => r.correlationId),
        replies.map((r) => r.command),
        replies.map((r) => r.status),
        replies.map((r) => (r.result === null ? null : JSON.stringify(r.result))),
        replies.map((r) => (r.error === null ? null : JSON.stringify(r.error))),
        replies.map((r) => r.completedAt.toISOString()),
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
