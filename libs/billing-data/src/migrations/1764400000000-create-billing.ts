import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BILLING_CONSTRAINTS } from '../constraints';

/**
 * The `billing` table (seed 000's shape) and the indexes of the reports: a tenant's usage or
 * invoice over a time range reads `(tenant, event_time)`; the platform admin's all-tenant usage
 * reads `(event_time)`.
 */
export class CreateBilling1764400000000 implements MigrationInterface {
  name = 'CreateBilling1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE billing (
        id bigserial PRIMARY KEY,
        tenant varchar(63) NOT NULL,
        topic varchar(249) NOT NULL,
        client_id varchar(255) NOT NULL,
        messages integer NOT NULL
          CONSTRAINT ${BILLING_CONSTRAINTS.messagesNotNegative} CHECK (messages >= 0),
        bytes bigint NOT NULL
          CONSTRAINT ${BILLING_CONSTRAINTS.bytesNotNegative} CHECK (bytes >= 0),
        action varchar(10) NOT NULL
          CONSTRAINT ${BILLING_CONSTRAINTS.actionCheck} CHECK (action IN ('produce', 'consume')),
        event_time timestamptz NOT NULL,
        usage_event_id uuid NOT NULL
          CONSTRAINT ${BILLING_CONSTRAINTS.usageEventUnique} UNIQUE,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX ${BILLING_CONSTRAINTS.tenantEventTimeIndex} ON billing (tenant, event_time)`,
    );
    await runner.query(
      `CREATE INDEX ${BILLING_CONSTRAINTS.eventTimeIndex} ON billing (event_time)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE billing');
  }
}
