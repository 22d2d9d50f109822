import { TOPICS } from '@event-hub/contracts';
import type { DataSource } from 'typeorm';
import { auditRecord, insertOutbox, stageEvent, type OutboxRecord } from '../ledger/outbox-records';
import { PIX_EXCHANGE } from '@event-hub/contracts';
import type { RabbitChannel } from '@event-hub/rabbitmq';
import { readCommitted, type PixStatements } from '../ledger/retry-conflicts';

interface PendingNotification {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
  attempts: number;
}

export interface RabbitOutboxRelayOptions {
  batchSize: number;
  /** First retry delay; doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export type NotificationRound = { published: number } | { failed: number; error: string };

/**
 * Publishes the notifications of `pix_outbox` to the `pix` exchange (persistent, with publisher
 * confirms), and only once RabbitMQ confirmed them, in the same transaction that marks them sent:
 * moves the payment to `notified` and puts `pix.notification.sent` and its audit entry in the
 * outbox. A broker that is down or refuses leaves the rows pending with a growing backoff: a
 * notification is retried, never dropped. A crash after the confirm and before the commit
 * publishes it again with the same message id (at least once towards RabbitMQ), while
 * `pix.notification.sent` is emitted once, since it is written in the transaction that marks the
 * row sent.
 */
export class RabbitOutboxRelay {
  constructor(
    private readonly source: DataSource,
    private readonly channel: RabbitChannel,
    private readonly options: RabbitOutboxRelayOptions,
  ) {}

  async publishPending(): Promise<NotificationRound> {
    const outcome = await readCommitted(this.source, async (m) => {
      const rows: PendingNotification[] = await m.query(
        `SELECT id, topic, message_key, payload, headers, attempts FROM pix_outbox
         WHERE destination = 'rabbitmq' AND sent_at IS NULL AND next_attempt_at <= now()
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return { published: 0 };
      try {
        await this.publish(rows);
      } catch (error) {
        await this.postpone(m, rows, error);
        return { failed: rows.length, error: describe(error) };
      }
      await this.markNotified(m, rows);
      // With the COMMIT, after markNotified's outbox rows: one round trip.
      m.writeAtCommit('UPDATE pix_outbox SET sent_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      return { published: rows.length };
    });
    return outcome;
  }

  private async publish(rows: PendingNotification[]): Promise<void> {
    const channel = await this.channel.get();
    for (const row of rows) {
      channel.publish(PIX_EXCHANGE, row.topic, Buffer.from(row.payload), {
        persistent: true,
        contentType: 'application/json',
        messageId: row.headers['event-id'],
        correlationId: row.message_key,
        headers: row.headers,
      });
    }
    // Rejects if the broker nacked any of them or the channel closed before confirming.
    await channel.waitForConfirms();
  }

  private async postpone(m: PixStatements, rows: PendingNotification[], error: unknown) {
    for (const row of rows) {
      const delay = Math.min(
        this.options.initialBackoffMs * 2 ** row.attempts,
        this.options.maxBackoffMs,
      );
      await m.query(
        `UPDATE pix_outbox SET attempts = attempts + 1, last_error = $2,
           next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
         WHERE id = $1`,
        [row.id, describe(error).slice(0, 500), delay],
      );
    }
  }

  /**
   * Moves the notified payments to `notified` with their stage row, `pix.notification.sent` and
   * audit entry, in a fixed number of statements per round (not per row). Payment rows are locked
   * in id order, like every multi-row lock of the PIX write model; one already `notified` (a
   * republished notification) is left alone, so the event and the audit entry are written once.
   */
  private async markNotified(m: PixStatements, rows: PendingNotification[]): Promise<void> {
    const moved: { id: string; tenant_id: string; previous_state: string; updated_at: Date }[] =
      await m.query(
        `WITH locked AS (
           SELECT id, tenant_id, state FROM pix_payments WHERE id = ANY($1::uuid[])
           ORDER BY id FOR UPDATE
         ), moved AS (
           UPDATE pix_payments p SET state = 'notified', updated_at = now()
           FROM locked WHERE p.id = locked.id AND locked.state <> 'notified'
           RETURNING p.id, locked.tenant_id, locked.state AS previous_state, p.updated_at
         ), stages AS (
           INSERT INTO pix_payment_stages (payment_id, stage, detail)
           SELECT moved.id, 'notified', sent.routing_key
           FROM moved JOIN unnest($1::uuid[], $2::text[]) AS sent(payment_id, routing_key)
             ON sent.payment_id = moved.id
           ON CONFLICT DO NOTHING
         )
         SELECT id, tenant_id, previous_state, updated_at FROM moved`,
        [rows.map((r) => r.message_key), rows.map((r) => r.topic)],
      );
    const byId = new Map(moved.map((payment) => [payment.id, payment]));
    const records: OutboxRecord[] = [];
    for (const row of rows) {
      const payment = byId.get(row.message_key);
      if (!payment) continue;
      // A payment has one notification; deleting keeps a duplicate row from writing twice.
      byId.delete(row.message_key);
      records.push(
        stageEvent(TOPICS.pixNotificationSent, payment.id, payment.tenant_id, {
          paymentId: payment.id,
          routingKey: row.topic,
          exchange: PIX_EXCHANGE,
        }),
        auditRecord(
          {
            what: 'pix.payment',
            subjectId: payment.id,
            tenantId: payment.tenant_id,
            previousState: payment.previous_state,
            newState: 'notified',
            actor: 'notification',
          },
          payment.updated_at,
        ),
      );
    }
    insertOutbox(m, records);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
