import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commands belong to the tenant of the client that sent them (issue 5): a status is visible to
 * that tenant only, and Idempotency-Keys are per client (the stored key carries the client id,
 * so it grows). Keys stored before are unscoped: they simply never match again and expire.
 */
export class ScopeCommandsToTenants1764050000000 implements MigrationInterface {
  name = 'ScopeCommandsToTenants1764050000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE command_status ADD COLUMN tenant_id varchar(63) NULL');
    await runner.query('ALTER TABLE idempotency_keys ALTER COLUMN key TYPE varchar(400)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE idempotency_keys ALTER COLUMN key TYPE varchar(200)');
    await runner.query('ALTER TABLE command_status DROP COLUMN tenant_id');
  }
}
