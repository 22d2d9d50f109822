import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform page lists a tenant's newest commands (and, for operators, everyone's): both read
 * the newest rows first without sorting the whole table.
 */
export class RecentCommandsIndex1764070000000 implements MigrationInterface {
  name = 'RecentCommandsIndex1764070000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'CREATE INDEX command_status_tenant_accepted_idx ON command_status (tenant_id, accepted_at DESC)',
    );
    await runner.query(
      'CREATE INDEX command_status_accepted_idx ON command_status (accepted_at DESC)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX command_status_accepted_idx');
    await runner.query('DROP INDEX command_status_tenant_accepted_idx');
  }
}
