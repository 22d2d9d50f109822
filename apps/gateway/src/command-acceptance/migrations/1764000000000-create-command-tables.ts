import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway's own tables: command status and idempotency keys. */
export class CreateCommandTables1764000000000 implements MigrationInterface {
  name = 'CreateCommandTables1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE command_status (
        correlation_id uuid PRIMARY KEY,
        command varchar(100) NULL,
        status varchar(10) NOT NULL
          CONSTRAINT command_status_status_check CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
        result jsonb NULL,
        error jsonb NULL,
        accepted_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz NULL
      )`);
    await runner.query(`
      CREATE TABLE idempotency_keys (
        key varchar(200) PRIMARY KEY,
        request_hash char(64) NOT NULL,
        correlation_id uuid NOT NULL,
        accepted boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_keys');
    await runner.query('DROP TABLE command_status');
  }
}
