import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  ACCOUNT_ENTRY_KINDS,
  PIX_DATA_CONSTRAINTS as C,
  PIX_KEY_TYPES,
  PIX_PAYMENT_STATES,
} from '../constraints';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * PIX accounts, keys, payments with their stage timeline, the balance ledger, and the
 * transactional outbox (issue 12). Runs after the user tables: an account belongs to a user.
 */
export class CreatePixTables1765000000000 implements MigrationInterface {
  name = 'CreatePixTables1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    // `version` is the account_balances record's version: every balance change increments it in
    // the same statement, so readers can order records per account.
    await runner.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        tenant_id varchar(63) NOT NULL,
        user_id uuid NOT NULL CONSTRAINT ${C.accountsUserFk} REFERENCES users (id),
        balance numeric(18, 2) NOT NULL DEFAULT 0
          CONSTRAINT ${C.accountsBalanceNotNegative} CHECK (balance >= 0),
        version bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX accounts_tenant_user_idx ON accounts (tenant_id, user_id)');

    await runner.query(`
      CREATE TABLE pix_keys (
        tenant_id varchar(63) NOT NULL,
        type varchar(5) NOT NULL
          CONSTRAINT ${C.pixKeysTypeCheck} CHECK (type IN (${list(PIX_KEY_TYPES)})),
        value varchar(77) NOT NULL,
        account_id uuid NOT NULL CONSTRAINT ${C.pixKeysAccountFk} REFERENCES accounts (id),
        blocked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ${C.pixKeysTenantValueUnique} PRIMARY KEY (tenant_id, type, value)
      )`);
    await runner.query('CREATE INDEX pix_keys_account_idx ON pix_keys (account_id)');

    await runner.query(`
      CREATE TABLE pix_payments (
        id uuid PRIMARY KEY,
        tenant_id varchar(63) NOT NULL,
        end_to_end_id char(32) NOT NULL CONSTRAINT ${C.paymentsEndToEndUnique} UNIQUE,
        client_id varchar(255) NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        payer_account_id uuid NOT NULL CONSTRAINT ${C.paymentsPayerFk} REFERENCES accounts (id),
        receiver_key_type varchar(5) NOT NULL,
        receiver_key_value varchar(77) NOT NULL,
        receiver_account_id uuid NULL REFERENCES accounts (id),
        amount numeric(18, 2) NOT NULL
          CONSTRAINT ${C.paymentsAmountPositive} CHECK (amount > 0),
        description varchar(140) NULL,
        state varchar(10) NOT NULL
          CONSTRAINT ${C.paymentsStateCheck} CHECK (state IN (${list(PIX_PAYMENT_STATES)})),
        rejection_code varchar(40) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ${C.paymentsIdempotencyUnique} UNIQUE (tenant_id, client_id, idempotency_key)
      )`);
    // A statement pages an account's payments newest first, as payer or as receiver.
    await runner.query(
      `CREATE INDEX ${C.paymentsPayerCreatedIndex} ON pix_payments (payer_account_id, created_at DESC, id)`,
    );
    await runner.query(
      `CREATE INDEX ${C.paymentsReceiverCreatedIndex} ON pix_payments (receiver_account_id, created_at DESC, id)`,
    );

    // One row per stage a payment reached: a redelivered stage inserts nothing.
    await runner.query(`
      CREATE TABLE pix_payment_stages (
        payment_id uuid NOT NULL REFERENCES pix_payments (id),
        stage varchar(10) NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        detail varchar(200) NULL,
        CONSTRAINT ${C.stagesPaymentStageUnique} PRIMARY KEY (payment_id, stage)
      )`);

    // The ledger: every balance change with the balance and version it produced. Its id is the
    // id of the request that caused it, so a redelivered deposit or adjustment changes nothing.
    await runner.query(`
      CREATE TABLE account_entries (
        id uuid NOT NULL,
        account_id uuid NOT NULL CONSTRAINT ${C.entriesAccountFk} REFERENCES accounts (id),
        kind varchar(10) NOT NULL
          CONSTRAINT ${C.entriesKindCheck} CHECK (kind IN (${list(ACCOUNT_ENTRY_KINDS)})),
        amount numeric(19, 2) NOT NULL,
        previous_balance numeric(18, 2) NOT NULL,
        balance numeric(18, 2) NOT NULL,
        version bigint NOT NULL,
        actor varchar(255) NOT NULL,
        reason varchar(500) NULL,
        payment_id uuid NULL REFERENCES pix_payments (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, account_id)
      )`);
    await runner.query(
      'CREATE INDEX account_entries_account_created_idx ON account_entries (account_id, created_at)',
    );

    // The transactional outbox: the records a write causes, inserted in the write's transaction
    // and published by the relay, which marks them sent afterwards.
    await runner.query(`
      CREATE TABLE pix_outbox (
        id bigserial PRIMARY KEY,
        destination varchar(10) NOT NULL CHECK (destination IN ('kafka', 'rabbitmq')),
        topic varchar(249) NOT NULL,
        message_key varchar(255) NULL,
        payload text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error varchar(500) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      )`);
    await runner.query(
      `CREATE INDEX ${C.outboxUnsentIndex} ON pix_outbox (destination, next_attempt_at, id) WHERE sent_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE pix_outbox');
    await runner.query('DROP TABLE account_entries');
    await runner.query('DROP TABLE pix_payment_stages');
    await runner.query('DROP TABLE pix_payments');
    await runner.query('DROP TABLE pix_keys');
    await runner.query('DROP TABLE accounts');
  }
}
