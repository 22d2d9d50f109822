import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's memory of each `POST /pix/payments` Idempotency-Key: the payment id and end-to-end
 * id it was answered with, so a retry answers the same 202 and produces the same payment again
 * (which the processor records once).
 */
export class CreatePixPaymentRequests1766000000000 implements MigrationInterface {
  name = 'CreatePixPaymentRequests1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE pix_payment_requests (
        tenant_id varchar(63) NOT NULL,
        client_id varchar(255) NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        payment_id uuid NOT NULL UNIQUE,
        end_to_end_id char(32) NOT NULL,
        payer_account_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, client_id, idempotency_key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE pix_payment_requests');
  }
}
