import type { MigrationInterface, QueryRunner } from 'typeorm';
import { USER_DATA_CONSTRAINTS as C } from '../constraints';

/**
 * Users belong to a tenant (issue 5): every read and write is scoped to it, and email and document
 * are unique within a tenant, not across tenants (two customers may both serve the same person).
 */
export class ScopeUsersToTenants1763900200000 implements MigrationInterface {
  name = 'ScopeUsersToTenants1763900200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE users ADD COLUMN tenant_id varchar(63)');
    // Users created before tenancy were created by the operators themselves.
    await runner.query(`UPDATE users SET tenant_id = 'platform' WHERE tenant_id IS NULL`);
    await runner.query('ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL');
    await runner.query(`DROP INDEX ${C.usersEmailUnique}`);
    await runner.query(`DROP INDEX ${C.usersDocumentUnique}`);
    await runner.query(
      `CREATE UNIQUE INDEX ${C.usersEmailUnique} ON users (tenant_id, lower(email))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX ${C.usersDocumentUnique} ON users (tenant_id, document)`,
    );
    // Listing a tenant's users oldest first.
    await runner.query(
      'CREATE INDEX users_tenant_created_idx ON users (tenant_id, created_at, id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX users_tenant_created_idx');
    await runner.query(`DROP INDEX ${C.usersDocumentUnique}`);
    await runner.query(`DROP INDEX ${C.usersEmailUnique}`);
    await runner.query(`CREATE UNIQUE INDEX ${C.usersEmailUnique} ON users (lower(email))`);
    await runner.query(`CREATE UNIQUE INDEX ${C.usersDocumentUnique} ON users (document)`);
    await runner.query('ALTER TABLE users DROP COLUMN tenant_id');
  }
}
