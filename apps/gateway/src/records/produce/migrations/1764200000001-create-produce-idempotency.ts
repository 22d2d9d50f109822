import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency-Keys of produce requests, per API client. */
export class CreateProduceIdempotency1764200000001 implements MigrationInterface {
  name = 'CreateProduceIdempotency1764200000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE produce_idempotency_keys (
        client_id varchar(200) NOT NULL,
        key varchar(200) NOT NULL,
        request_hash char(64) NOT NULL,
        response jsonb NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, key)
      )`);
    await runner.query(
      'CREATE INDEX produce_idempotency_keys_expires_at_idx ON produce_idempotency_keys (expires_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE produce_idempotency_keys');
  }
}
