import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { ReplyEnvelope } from './outgoing-records';

export interface InboxEntry {
  eventId: string;
  correlationId: string;
  eventType: string;
  reply: ReplyEnvelope;
}

/**
 * `processed_events`: which command events already took effect, and the reply each one got. Read
 * and written inside the batch transaction, so "applied" and "recorded" can never disagree.
 */
@Injectable()
export class Inbox {
  async findReplies(runner: QueryRunner, eventIds: string[]): Promise<Map<string, ReplyEnvelope>> {
    if (eventIds.length === 0) return new Map();
    const rows = (await runner.query(
      'SELECT event_id, reply FROM processed_events WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    )) as { event_id: string; reply: ReplyEnvelope }[];
    return new Map(rows.map((row) => [row.event_id, row.reply]));
  }

  /** One statement for the whole batch: the rows travel as a single JSON array parameter. */
  async record(runner: QueryRunner, entries: InboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await runner.query(
      `INSERT INTO processed_events (event_id, correlation_id, event_type, reply)
       SELECT event_id, correlation_id, event_type, reply
         FROM jsonb_to_recordset($1::jsonb)
           AS entry(event_id uuid, correlation_id uuid, event_type varchar(200), reply jsonb)`,
      [
        JSON.stringify(
          entries.map((e) => ({
            event_id: e.eventId,
            correlation_id: e.correlationId,
            event_type: e.eventType,
            reply: e.reply,
          })),
        ),
      ],
    );
  }
}
