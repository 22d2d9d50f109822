import { ACKS_ALL, encodeHeaders } from '@event-hub/kafka';
import type { Producer, TopicMessages } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { PackedOutboxRecord } from '@event-hub/pix-data';
import { readCommitted } from '../ledger/retry-conflicts';

interface PendingRow {
  id: string;
  topic: string;
  message_key: string | null;
  /** Null: a tombstone. */
  payload: string | null;
  headers: Record<string, string>;
  /** The records the row holds after its own, in order. */
  extras: PackedOutboxRecord[] | null;
}

export interface KafkaOutboxRelayOptions {
  /** Outbox rows per round trip to Kafka (each holds up to RECORDS_PER_ROW records). */
  batchSize: number;
  /** Put before every topic name; empty in production, unique per test run in tests. */
  topicPrefix: string;
}

/**
 * Publishes the Kafka records of `pix_outbox` in id order (a row's records in their order) and
 * marks the rows sent.
 *
 * Why nothing is lost: a row is marked sent only after Kafka acknowledged it (acks=all, idempotent
 * producer), in the same transaction that holds the row locked; a crash anywhere before that
 * commit leaves the row unsent, and the next round publishes it again.
 * Why nothing is invented: rows exist only if the write that caused them committed (they are
 * inserted in its transaction). A crash between Kafka's acknowledgement and the mark can publish a
 * record twice; the copy carries the same event id, and every reader is idempotent on it (stages
 * act on the payment's state in Postgres, account_balances readers keep the highest version).
 *
 * `FOR UPDATE SKIP LOCKED` lets several processor instances relay side by side without sending the
 * same row concurrently.
 */
export class KafkaOutboxRelay {
  constructor(
    private readonly source: DataSource,
    private readonly producer: Producer,
    private readonly options: KafkaOutboxRelayOptions,
  ) {}

  /** One round: publishes the records of up to `batchSize` pending rows; returns how many of each. */
  async publishPending(): Promise<{ rows: number; records: number }> {
    return readCommitted(this.source, async (m) => {
      const rows: PendingRow[] = await m.query(
        `SELECT id, topic, message_key, payload, headers, extras FROM pix_outbox
         WHERE destination = 'kafka' AND sent_at IS NULL
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return { rows: 0, records: 0 };
      const records = rows.flatMap((row) => [
        { topic: row.topic, key: row.message_key, payload: row.payload, headers: row.headers },
        ...(row.extras ?? []),
      ]);
      await this.producer.sendBatch({ topicMessages: this.byTopic(records), acks: ACKS_ALL });
      // With the COMMIT: one round trip.
      m.writeAtCommit('UPDATE pix_outbox SET sent_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      return { rows: rows.length, records: records.length };
    });
  }

  /** Groups records per topic, keeping their order within each (and so within each key). */
  private byTopic(records: PackedOutboxRecord[]): TopicMessages[] {
    const topics = new Map<string, TopicMessages>();
    for (const record of records) {
      const topic = `${this.options.topicPrefix}${record.topic}`;
      let entry = topics.get(topic);
      if (!entry) {
        entry = { topic, messages: [] };
        topics.set(topic, entry);
      }
      entry.messages.push({
        key: record.key,
        value: record.payload,
        headers: encodeHeaders(record.headers),
      });
    }
    return [...topics.values()];
  }
}
