import { Injectable } from '@nestjs/common';
import { quoteLiteral } from '../transactions/postgres-transaction';
import type { ReplyEnvelope } from './outgoing-records';

export interface InboxEntry {
  eventId: string;
  correlationId: string;
  eventType: string;
  reply: ReplyEnvelope;
}

export interface InboxRow {
  event_id: string;
  reply: ReplyEnvelope;
}

/**
 * `processed_events`: which command events already took effect, and the reply each one got. Read
 * and written inside the batch transaction, so "applied" and "recorded" can never disagree. The
 * statements are built as text (values escaped) so they can share a round trip with BEGIN and
 * COMMIT; see PostgresTransaction.
 */
@Injectable()
export class Inbox {
  /** Finds the inbox rows of these event ids (uuids, checked by the parser). */
  lookupStatement(eventIds: string[]): string {
    const ids = eventIds.map((id) => `${quoteLiteral(id)}::uuid`).join(', ');
    return `SELECT event_id, reply FROM processed_events WHERE event_id IN (${ids})`;
  }

  repliesById(rows: InboxRow[]): Map<string, ReplyEnvelope> {
    return new Map(rows.map((row) => [row.event_id, row.reply]));
  }

  /** One statement for the whole batch: the rows travel as a single JSON array. */
  recordStatement(entries: InboxEntry[]): string | undefined {
    if (entries.length === 0) return undefined;
    const rows = entries.map((e) => ({
      event_id: e.eventId,
      correlation_id: e.correlationId,
      event_type: e.eventType,
      reply: e.reply,
    }));
    return `INSERT INTO processed_events (event_id, correlation_id, event_type, reply)
      SELECT event_id, correlation_id, event_type, reply
        FROM jsonb_to_recordset(${quoteLiteral(JSON.stringify(rows))}::jsonb)
          AS entry(event_id uuid, correlation_id uuid, event_type varchar(200), reply jsonb)`;
  }
}

/**
 * Whether a statement failed because an event id is in the inbox already: the insert of
 * {@link Inbox.recordStatement} has no `ON CONFLICT`, so recording a command twice aborts its
 * transaction.
 */
export function isInboxClash(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'processed_events_pkey';
}
