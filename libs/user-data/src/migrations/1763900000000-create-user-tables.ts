import type { MigrationInterface, QueryRunner } from 'typeorm';
import { USER_DATA_CONSTRAINTS as C } from '../constraints';

/** The user domain's write model: users, subscriptions, payments and preferences (seed 001). */
export class CreateUserTables1763900000000 implements MigrationInterface {
  name = 'CreateUserTables1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        name varchar(200) NOT NULL,
        email varchar(320) NOT NULL,
        document char(11) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Uniqueness is case-insensitive: Ana@x.com and ana@x.com are the same mailbox for our users.
    await runner.query(`CREATE UNIQUE INDEX ${C.usersEmailUnique} ON users (lower(email))`);
    await runner.query(`CREATE UNIQUE INDEX ${C.usersDocumentUnique} ON users (document)`);

    await runner.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL CONSTRAINT ${C.subscriptionsUserFk} REFERENCES users (id),
        plan varchar(20) NOT NULL,
        billing_cycle varchar(20) NOT NULL,
        start_date date NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'active'
          CONSTRAINT ${C.subscriptionsStatusCheck} CHECK (status IN ('active', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Cancelled subscriptions stay as history, so only active ones compete for a plan.
    await runner.query(
      `CREATE UNIQUE INDEX ${C.subscriptionsActivePlanUnique} ON subscriptions (user_id, plan) WHERE status = 'active'`,
    );
    await runner.query('CREATE INDEX subscriptions_user_id_idx ON subscriptions (user_id)');

    await runner.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL CONSTRAINT ${C.paymentsUserFk} REFERENCES users (id),
        subscription_id uuid NULL CONSTRAINT ${C.paymentsSubscriptionFk} REFERENCES subscriptions (id),
        amount numeric(14, 2) NOT NULL CONSTRAINT ${C.paymentsAmountPositive} CHECK (amount > 0),
        currency char(3) NOT NULL,
        method varchar(20) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX payments_user_id_idx ON payments (user_id)');

    await runner.query(`
      CREATE TABLE preferences (
        user_id uuid PRIMARY KEY CONSTRAINT ${C.preferencesUserFk} REFERENCES users (id),
        settings jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE preferences');
    await runner.query('DROP TABLE payments');
    await runner.query('DROP TABLE subscriptions');
    await runner.query('DROP TABLE users');
  }
}
