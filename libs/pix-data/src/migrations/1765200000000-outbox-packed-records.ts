import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PIX_DATA_CONSTRAINTS as C } from '../constraints';

/**
 * Several Kafka records per outbox row (issue 12's benchmark): a transaction that causes many
 * records (a chunk of payments judged or settled together) writes them as a few rows, the first
 * record of each in the row's own columns and the ones after it, in order, in `extras`
 * (`[{ topic, key, payload, headers }]`). The relay publishes a row's records together, in one
 * send, and marks the row sent once Kafka acknowledged all of them, so what a row holds is
 * published whole or retried whole, exactly as a single record was. RabbitMQ rows stay one
 * notification each (each has its own attempts and backoff).
 *
 * `pix_outbox_records` lists the outbox record by record, whatever row holds them.
 */
export class OutboxPackedRecords1765200000000 implements MigrationInterface {
  name = 'OutboxPackedRecords1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE pix_outbox ADD COLUMN extras jsonb NULL');
    await runner.query(
      `ALTER TABLE pix_outbox ADD CONSTRAINT ${C.outboxExtrasKafkaOnly}
       CHECK (extras IS NULL OR (destination = 'kafka' AND jsonb_typeof(extras) = 'array'))`,
    );
    await runner.query(`
      CREATE VIEW pix_outbox_records AS
        SELECT o.id, 0 AS position, o.destination, o.topic, o.message_key, o.payload, o.headers,
          o.attempts, o.created_at, o.sent_at
        FROM pix_outbox o
        UNION ALL
        SELECT o.id, e.position, o.destination, e.record->>'topic', e.record->>'key',
          e.record->>'payload', e.record->'headers', o.attempts, o.created_at, o.sent_at
        FROM pix_outbox o, jsonb_array_elements(o.extras) WITH ORDINALITY AS e(record, position)
        WHERE o.extras IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP VIEW pix_outbox_records');
    // Unpacks the records a row still holds unsent into rows of their own, in order.
    await runner.query(`
      INSERT INTO pix_outbox (destination, topic, message_key, payload, headers, created_at)
      SELECT 'kafka', e.record->>'topic', e.record->>'key', e.record->>'payload',
        coalesce(e.record->'headers', '{}'::jsonb), o.created_at
      FROM pix_outbox o, jsonb_array_elements(o.extras) WITH ORDINALITY AS e(record, position)
      WHERE o.extras IS NOT NULL AND o.sent_at IS NULL
      ORDER BY o.id, e.position`);
    await runner.query(`ALTER TABLE pix_outbox DROP CONSTRAINT ${C.outboxExtrasKafkaOnly}`);
    await runner.query('ALTER TABLE pix_outbox DROP COLUMN extras');
  }
}
