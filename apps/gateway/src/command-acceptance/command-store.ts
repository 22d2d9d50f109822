import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { COMMAND_ERROR_CODES, type CommandError } from '@event-hub/contracts';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { MicroBatcher } from '../shared/micro-batcher';
import { lastReplyPerCommand } from '../status/replies/reply-record';
import type { IdempotencyClaim } from './idempotency';

export interface RememberedKey {
  requestHash: string;
  correlationId: string;
  accepted: boolean;
  /** Claimed long enough ago that its request has been answered or its gateway died. */
  stale: boolean;
}

/** A command about to be produced, as its status row and Idempotency-Key remember it. */
export interface PendingCommand {
  correlationId: string;
  eventId: string;
  command: string;
  tenantId: string;
  /** The processor refuses the command after it. */
  deadline: Date;
}

interface KeyClaim extends IdempotencyClaim {
  pending: PendingCommand;
}

/** What a retry found when it took over a stale claim of its key. */
export type TakeOver =
  /** The earlier attempt's command may never have been applied: send it again, same ids. */
  | { kind: 'resend'; correlationId: string; eventId: string }
  /** The processor already answered the earlier attempt: replay its correlation id. */
  | { kind: 'settled'; correlationId: string };

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
  private readonly pendingRows: MicroBatcher<PendingCommand>;
  private readonly acceptedKeys: MicroBatcher<{ key: string; correlationId: string }>;
  private readonly claims: MicroBatcher<KeyClaim, boolean>;
  private readonly replyBatches: MicroBatcher<CommandReply[], unknown>;
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
    this.replyBatches = new MicroBatcher((batches) => this.writeReplyBatches(batches), options);
    this.idempotencyTtlSeconds = config.get('GATEWAY_IDEMPOTENCY_TTL_SECONDS');
  }

  /** Written before the command is produced, so a reply can never arrive for a missing row. */
  insertPending(pending: PendingCommand): Promise<void> {
    return this.pendingRows.add(pending);
  }

  private async insertPendingRows(rows: PendingCommand[]): Promise<void> {
    await this.db.query(
      `INSERT INTO command_status (correlation_id, command, tenant_id, status, accepted_at, deadline, event_id)
       SELECT r.correlation_id, r.command, r.tenant_id, 'PENDING', now(), r.deadline, r.event_id
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::uuid[])
         AS r(correlation_id, command, tenant_id, deadline, event_id)
       ON CONFLICT (correlation_id) DO NOTHING`,
      [
        rows.map((r) => r.correlationId),
        rows.map((r) => r.command),
        rows.map((r) => r.tenantId),
        rows.map((r) => r.deadline.toISOString()),
        rows.map((r) => r.eventId),
      ],
    );
  }

  /**
   * Takes the key for this request (a new key, or one whose previous use expired) and writes the
   * PENDING row in the same statement. False when a live claim of the key exists.
   */
  claimKey(claim: IdempotencyClaim, pending: PendingCommand): Promise<boolean> {
    return this.claims.add({ ...claim, pending });
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
         SELECT * FROM unnest($1::varchar[], $2::char(64)[], $3::uuid[], $4::varchar[], $6::varchar[],
                              $7::uuid[], $8::timestamptz[])
           AS i(key, request_hash, correlation_id, command, tenant_id, event_id, deadline)
       ), claimed AS (
         INSERT INTO idempotency_keys
           (key, request_hash, correlation_id, event_id, attempts, accepted, created_at, expires_at)
         SELECT key, request_hash, correlation_id, event_id, 1, false, now(), now() + make_interval(secs => $5)
         FROM input
         ON CONFLICT (key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, correlation_id = EXCLUDED.correlation_id,
               event_id = EXCLUDED.event_id, attempts = 1, accepted = false,
               created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= now()
         RETURNING correlation_id
       ), pending AS (
         INSERT INTO command_status (correlation_id, command, tenant_id, status, accepted_at, deadline, event_id)
         SELECT i.correlation_id, i.command, i.tenant_id, 'PENDING', now(), i.deadline, i.event_id
         FROM input i JOIN claimed c USING (correlation_id)
         ON CONFLICT (correlation_id) DO NOTHING
       )
       SELECT correlation_id FROM claimed`,
      [
        firsts.map((c) => c.key),
        firsts.map((c) => c.requestHash),
        firsts.map((c) => c.pending.correlationId),
        firsts.map((c) => c.pending.command),
        this.idempotencyTtlSeconds,
        firsts.map((c) => c.pending.tenantId),
        firsts.map((c) => c.pending.eventId),
        firsts.map((c) => c.pending.deadline.toISOString()),
      ],
    )) as { correlation_id: string }[];
    const won = new Set(rows.map((r) => r.correlation_id));
    return claims.map((c) => won.has(c.pending.correlationId));
  }

  /** The live claim of a key; `stale` when it was made (or last taken over) `staleAfterMs` ago. */
  async findKey(key: string, staleAfterMs: number): Promise<RememberedKey | undefined> {
    const rows = (await this.db.query(
      `SELECT request_hash, correlation_id, accepted,
              created_at <= now() - make_interval(secs => $2) AS stale
       FROM idempotency_keys WHERE key = $1 AND expires_at > now()`,
      [key, staleAfterMs / 1000],
    )) as { request_hash: string; correlation_id: string; accepted: boolean; stale: boolean }[];
    const row = rows[0];
    return (
      row && {
        requestHash: row.request_hash,
        correlationId: row.correlation_id,
        accepted: row.accepted,
        stale: row.stale,
      }
    );
  }

  /**
   * Takes over a claim whose request was never confirmed (its gateway died, or it was answered 503
   * or 409 meanwhile) for a retry of the same request. The retry re-sends the same event (same
   * event id and correlation id, a new deadline), so whichever attempt reaches the processor first
   * is applied and the other is answered from its inbox. A status already answered by the
   * processor is left alone and replayed; one resolved as not accepted is reopened as PENDING.
   * Undefined when the claim is not (or no longer) stale, or predates event ids.
   */
  async takeOver(
    claim: IdempotencyClaim,
    staleAfterMs: number,
    command: string,
    tenantId: string,
    deadline: Date,
  ): Promise<TakeOver | undefined> {
    const rows = (await this.db.query(
      `WITH taken AS (
         UPDATE idempotency_keys SET created_at = now(), attempts = attempts + 1
         WHERE key = $1 AND request_hash = $2 AND NOT accepted AND expires_at > now()
           AND event_id IS NOT NULL AND created_at <= now() - make_interval(secs => $3)
         RETURNING correlation_id, event_id
       ), reopened AS (
         INSERT INTO command_status (correlation_id, command, tenant_id, status, accepted_at, deadline, event_id)
         SELECT correlation_id, $4::varchar, $5::varchar, 'PENDING', now(), $6::timestamptz, event_id
         FROM taken
         ON CONFLICT (correlation_id) DO UPDATE
           SET status = 'PENDING', result = NULL, error = NULL, completed_at = NULL,
               deadline = EXCLUDED.deadline, event_id = EXCLUDED.event_id
           WHERE command_status.status = 'PENDING'
              OR (command_status.status = 'FAILED' AND command_status.error->>'code' = $7)
         RETURNING correlation_id
       )
       SELECT t.correlation_id, t.event_id, EXISTS (SELECT 1 FROM reopened) AS reopened
       FROM taken t`,
      [
        claim.key,
        claim.requestHash,
        staleAfterMs / 1000,
        command,
        tenantId,
        deadline.toISOString(),
        COMMAND_ERROR_CODES.notAccepted,
      ],
    )) as { correlation_id: string; event_id: string; reopened: boolean }[];
    const row = rows[0];
    if (!row) return undefined;
    return row.reopened
      ? { kind: 'resend', correlationId: row.correlation_id, eventId: row.event_id }
      : { kind: 'settled', correlationId: row.correlation_id };
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

  /**
   * Forgets a command Kafka did not take: its PENDING row, and its key so a retry can produce. A
   * key a retry has taken over meanwhile (attempts > 1) is kept, and so is its status row: the
   * retry's command is on its way.
   */
  async discard(correlationId: string, key: string | undefined): Promise<void> {
    await this.db.query(
      `WITH forgotten_key AS (
         DELETE FROM idempotency_keys
         WHERE key = $2 AND correlation_id = $1 AND NOT accepted AND attempts = 1
         RETURNING key
       )
       DELETE FROM command_status WHERE correlation_id = $1 AND status = 'PENDING'
         AND ($2::varchar IS NULL OR EXISTS (SELECT 1 FROM forgotten_key))`,
      [correlationId, key ?? null],
    );
  }

  /**
   * Resolves up to `limit` PENDING statuses whose deadline passed before `before`; returns how
   * many. The processor refuses them from now on, so its inbox (`processed_events`, in the same
   * database) is final for them: a command it applied gets the reply it stored (its reply record
   * is late), any other is FAILED `COMMAND.NOT_ACCEPTED`, never to take effect. Statuses without a
   * deadline (accepted before deadlines existed) are left alone.
   */
  async resolveOverdue(before: Date, limit = 10000): Promise<number> {
    // The common case, nothing overdue, touches the partial index only (and no processor table).
    const overdue = (await this.db.query(
      `SELECT 1 FROM command_status WHERE status = 'PENDING' AND deadline < $1 LIMIT 1`,
      [before.toISOString()],
    )) as unknown[];
    if (overdue.length === 0) return 0;
    const error: CommandError = {
      code: COMMAND_ERROR_CODES.notAccepted,
      message:
        'the command did not reach the processor before its deadline; it was not applied and never will be',
    };
    const result = (await this.db.query(
      `WITH overdue AS (
         SELECT correlation_id, event_id FROM command_status
         WHERE status = 'PENDING' AND deadline < $1
         LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       UPDATE command_status s
       SET status = COALESCE(p.reply->'data'->>'status', 'FAILED'),
           result = p.reply->'data'->'result',
           error = CASE WHEN p.event_id IS NULL THEN $2::jsonb ELSE p.reply->'data'->'error' END,
           completed_at = now()
       FROM overdue o LEFT JOIN processed_events p ON p.event_id = o.event_id
       WHERE s.correlation_id = o.correlation_id AND s.status = 'PENDING'`,
      [before.toISOString(), JSON.stringify(error), limit],
    )) as [unknown[], number];
    return result[1];
  }

  /**
   * Records replies in one statement, shared with the replies recorded at the same time (the
   * reply consumer's concurrent partition batches, which arrive together from one fetch: the
   * processor answers a fetch's partitions in one produce request). A reply for an id the gateway
   * never wrote (e.g. produced after the client was answered 503) is inserted, so the outcome is
   * never lost.
   */
  async recordReplies(replies: CommandReply[]): Promise<void> {
    if (replies.length === 0) return;
    const failure = await this.replyBatches.add(replies);
    if (failure !== undefined) throw failure;
  }

  /**
   * The batches in one statement; when it fails, each batch alone, so that a batch the database
   * refuses fails only its own partition. Answers each batch's error, if any.
   */
  private async writeReplyBatches(batches: CommandReply[][]): Promise<unknown[]> {
    try {
      // Replies are keyed by command, so batches of different partitions share none; the last
      // per command is kept anyway: one statement cannot update a row twice.
      await this.writeReplies(lastReplyPerCommand(batches.flat()));
      return batches.map(() => undefined);
    } catch (error) {
      if (batches.length === 1) return [error];
      return Promise.all(
        batches.map((batch) =>
          this.writeReplies(batch).then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
    }
  }

  private async writeReplies(replies: CommandReply[]): Promise<void> {
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
