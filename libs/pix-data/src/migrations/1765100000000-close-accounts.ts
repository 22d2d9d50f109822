import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PIX_DATA_CONSTRAINTS as C } from '../constraints';

/**
 * Closing accounts (issue 13): `accounts.closed_at` marks a closed account (it stays, with its
 * ledger and its PIX keys, which remain reserved to it), and an outbox row may carry no payload:
 * the tombstone (null value) that removes the account's key from `account_balances`. Only a Kafka
 * record may be a tombstone; a RabbitMQ message always has a body.
 */
export class CloseAccounts1765100000000 implements MigrationInterface {
  name = 'CloseAccounts1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE accounts ADD COLUMN closed_at timestamptz NULL');
    await runner.query('ALTER TABLE pix_outbox ALTER COLUMN payload DROP NOT NULL');
    await runner.query(
      `ALTER TABLE pix_outbox ADD CONSTRAINT ${C.outboxTombstoneKafkaOnly}
       CHECK (payload IS NOT NULL OR destination = 'kafka')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE pix_outbox DROP CONSTRAINT ${C.outboxTombstoneKafkaOnly}`);
    await runner.query('DELETE FROM pix_outbox WHERE payload IS NULL');
    await runner.query('ALTER TABLE pix_outbox ALTER COLUMN payload SET NOT NULL');
    await runner.query('ALTER TABLE accounts DROP COLUMN closed_at');
  }
}
