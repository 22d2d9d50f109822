import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenant topics: which tenant owns which physical Kafka topic, with its settings. */
export class CreateTenantTopics1764200000000 implements MigrationInterface {
  name = 'CreateTenantTopics1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE tenant_topics (
        tenant_id varchar(63) NOT NULL,
        name varchar(200) NOT NULL,
        physical_name varchar(249) NOT NULL CONSTRAINT tenant_topics_physical_name_key UNIQUE,
        partitions int NOT NULL CONSTRAINT tenant_topics_partitions_check CHECK (partitions > 0),
        retention_ms bigint NOT NULL,
        cleanup_policy varchar(20) NOT NULL
          CONSTRAINT tenant_topics_cleanup_policy_check
          CHECK (cleanup_policy IN ('delete', 'compact', 'compact,delete')),
        value_subject varchar(200) NULL,
        status varchar(10) NOT NULL
          CONSTRAINT tenant_topics_status_check CHECK (status IN ('CREATING', 'READY')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE tenant_topics');
  }
}
