import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The processor's inbox of command events whose effect is committed (exactly-once effect). */
export class CreateProcessedEvents1763900100000 implements MigrationInterface {
  name = 'CreateProcessedEvents1763900100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE processed_events (
        event_id uuid PRIMARY KEY,
        correlation_id uuid NOT NULL,
        event_type varchar(200) NOT NULL,
        reply jsonb NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE processed_events');
  }
}
