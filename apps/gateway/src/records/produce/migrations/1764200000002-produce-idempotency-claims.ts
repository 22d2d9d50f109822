import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who holds a produce Idempotency-Key's claim: a claim left without an answer by a crashed
 * gateway is settled from the committed log, and only its holder (or a fenced one) may be replaced.
 */
export class ProduceIdempotencyClaims1764200000002 implements MigrationInterface {
  name = 'ProduceIdempotencyClaims1764200000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE produce_idempotency_keys
        ADD COLUMN claim_id uuid NULL,
        ADD COLUMN claimed_by varchar(300) NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE produce_idempotency_keys DROP COLUMN claim_id, DROP COLUMN claimed_by',
    );
  }
}
