import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants and their API clients. `IF NOT EXISTS` because the admin CLI and the gateway may each
 * be first to migrate a database; they share the gateway's migrations table and advisory lock.
 */
export class CreateAuthTables1764100000000 implements MigrationInterface {
  name = 'CreateAuthTables1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS tenants (
        id varchar(63) PRIMARY KEY
          CONSTRAINT tenants_id_check CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name varchar(200) NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        limits jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS api_clients (
        client_id varchar(64) PRIMARY KEY,
        tenant_id varchar(63) NOT NULL REFERENCES tenants (id),
        name varchar(200) NOT NULL,
        scopes text[] NOT NULL,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz NULL,
        revoked_at timestamptz NULL,
        tokens_valid_after timestamptz NULL
      )`);
    await runner.query(
      'CREATE INDEX IF NOT EXISTS api_clients_tenant_id_idx ON api_clients (tenant_id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS api_clients');
    await runner.query('DROP TABLE IF EXISTS tenants');
  }
}
