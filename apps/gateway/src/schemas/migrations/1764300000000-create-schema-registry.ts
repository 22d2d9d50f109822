import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schema registry: subjects per tenant and their versions. No foreign key to `tenants`: the
 * platform tenant's subjects are registered at start, before (or without) any tenant row, and a
 * tenant's own routes are only reachable with a token of an existing tenant anyway.
 * `(tenant, subject, fingerprint)` is unique so that two gateways registering the same schema at
 * once end with one version, whatever the timing.
 */
export class CreateSchemaRegistry1764300000000 implements MigrationInterface {
  name = 'CreateSchemaRegistry1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE schema_subjects (
        tenant_id varchar(63) NOT NULL,
        subject varchar(200) NOT NULL,
        compatibility varchar(10) NOT NULL DEFAULT 'BACKWARD'
          CONSTRAINT schema_subjects_compatibility_check CHECK (compatibility IN ('BACKWARD', 'NONE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, subject)
      )`);
    await runner.query(`
      CREATE TABLE schema_versions (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT schema_versions_id_key UNIQUE,
        tenant_id varchar(63) NOT NULL,
        subject varchar(200) NOT NULL,
        version int NOT NULL CONSTRAINT schema_versions_version_check CHECK (version > 0),
        schema jsonb NOT NULL,
        fingerprint char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, subject, version),
        CONSTRAINT schema_versions_fingerprint_key UNIQUE (tenant_id, subject, fingerprint),
        CONSTRAINT schema_versions_subject_fkey FOREIGN KEY (tenant_id, subject)
          REFERENCES schema_subjects (tenant_id, subject) ON DELETE CASCADE
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE schema_versions');
    await runner.query('DROP TABLE schema_subjects');
  }
}
