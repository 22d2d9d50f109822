import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commands carry a deadline past which the processor refuses them (issue 9): a PENDING status past
 * it (and a grace) is resolved from the processor's inbox (by the command's event id), or as not
 * accepted when the inbox does not have it. An Idempotency-Key remembers the event id of
 * its command, so a retry after a crash re-sends the same event and the processor's inbox applies
 * it once; `attempts` tells a first claim (which may forget a command Kafka did not take) from a
 * retry that took it over (which must not, an earlier attempt may still land).
 */
export class CommandDeadlines1764060000000 implements MigrationInterface {
  name = 'CommandDeadlines1764060000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE command_status ADD COLUMN deadline timestamptz NULL');
    await runner.query('ALTER TABLE command_status ADD COLUMN event_id uuid NULL');
    await runner.query(
      `CREATE INDEX command_status_pending_deadline_idx ON command_status (deadline)
       WHERE status = 'PENDING'`,
    );
    await runner.query('ALTER TABLE idempotency_keys ADD COLUMN event_id uuid NULL');
    await runner.query(
      'ALTER TABLE idempotency_keys ADD COLUMN attempts integer NOT NULL DEFAULT 1',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE idempotency_keys DROP COLUMN attempts');
    await runner.query('ALTER TABLE idempotency_keys DROP COLUMN event_id');
    await runner.query('DROP INDEX command_status_pending_deadline_idx');
    await runner.query('ALTER TABLE command_status DROP COLUMN event_id');
    await runner.query('ALTER TABLE command_status DROP COLUMN deadline');
  }
}
