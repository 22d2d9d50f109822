import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import { DataSource } from 'typeorm';
import { USER_DATA_CONSTRAINTS } from '../src/constraints';
import { PaymentEntity } from '../src/entities/payment.entity';
import { SubscriptionEntity } from '../src/entities/subscription.entity';
import { UserEntity } from '../src/entities/user.entity';
import { USER_DATA_ENTITIES, USER_DATA_MIGRATIONS } from '../src/user-data';

const MIGRATIONS_TABLE = 'user_data_test_migrations';

async function publicTables(source: DataSource): Promise<string[]> {
  const rows: { tablename: string }[] = await source.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((r) => r.tablename);
}

/** The Postgres error a failed statement raised, so a test can name the violated constraint. */
async function violation(work: Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await work;
  } catch (error) {
    const driverError = (error as { driverError?: { code?: string; constraint?: string } })
      .driverError;
    return { code: driverError?.code, constraint: driverError?.constraint };
  }
  throw new Error('expected the statement to be rejected');
}

describe('user data schema against the real Postgres', () => {
  let db: TestDatabase;
  let source: DataSource;

  beforeEach(async () => {
    db = await createTestDatabase('userdata');
    source = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: USER_DATA_ENTITIES,
      migrations: USER_DATA_MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
    }).initialize();
  });

  afterEach(async () => {
    await source.destroy();
    await db.drop();
  });

  it('applies every migration to an empty database and reverts each one cleanly', async () => {
    const applied = await source.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual([
      'CreateUserTables1763900000000',
      'CreateProcessedEvents1763900100000',
      'ScopeUsersToTenants1763900200000',
    ]);
    expect(await publicTables(source)).toEqual([
      'payments',
      'preferences',
      'processed_events',
      'subscriptions',
      MIGRATIONS_TABLE,
      'users',
    ]);

    await source.undoLastMigration({ transaction: 'each' });
    const columns = await source.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'users'`,
    );
    expect(columns.map((c: { column_name: string }) => c.column_name)).not.toContain('tenant_id');
    await source.undoLastMigration({ transaction: 'each' });
    expect(await publicTables(source)).not.toContain('processed_events');
    await source.undoLastMigration({ transaction: 'each' });
    expect(await publicTables(source)).toEqual([MIGRATIONS_TABLE]);
  });

  describe('once migrated', () => {
    const user = (overrides: Partial<UserEntity> = {}) =>
      source.getRepository(UserEntity).insert({
        id: randomUUID(),
        tenantId: 'acme',
        name: 'Ana Souza',
        email: `ana.${randomUUID()}@example.com`,
        document: String(Math.floor(Math.random() * 1e11)).padStart(11, '0'),
        ...overrides,
      });

    beforeEach(() => source.runMigrations({ transaction: 'each' }));

    it('rejects a second user with the same email in another case', async () => {
      await user({ email: 'Ana@Example.com' });
      expect(await violation(user({ email: 'ana@example.COM' }))).toEqual({
        code: '23505',
        constraint: USER_DATA_CONSTRAINTS.usersEmailUnique,
      });
    });

    it('rejects a second user with the same document', async () => {
      await user({ document: '52998224725' });
      expect(await violation(user({ document: '52998224725' }))).toEqual({
        code: '23505',
        constraint: USER_DATA_CONSTRAINTS.usersDocumentUnique,
      });
    });

    it('lets two tenants each have a user with the same email and document', async () => {
      await user({ email: 'ana@example.com', document: '52998224725' });
      await expect(
        user({ tenantId: 'globex', email: 'ana@example.com', document: '52998224725' }),
      ).resolves.toBeDefined();
    });

    it('allows one active subscription per plan, and another once the first is cancelled', async () => {
      const userId = randomUUID();
      await user({ id: userId });
      const subscriptions = source.getRepository(SubscriptionEntity);
      const subscribe = (plan: 'basic' | 'premium', id = randomUUID()) =>
        subscriptions.insert({
          id,
          userId,
          plan,
          billingCycle: 'monthly',
          startDate: '2025-01-01',
        });

      const firstBasic = randomUUID();
      await subscribe('basic', firstBasic);
      await subscribe('premium');
      expect(await violation(subscribe('basic'))).toEqual({
        code: '23505',
        constraint: USER_DATA_CONSTRAINTS.subscriptionsActivePlanUnique,
      });

      await subscriptions.update({ id: firstBasic }, { status: 'cancelled' });
      await expect(subscribe('basic')).resolves.toBeDefined();
      const stored = await subscriptions.findOneByOrFail({ userId, plan: 'premium' });
      expect(stored.startDate).toBe('2025-01-01');
    });

    it('rejects a payment amount that is zero or negative and keeps cents exact', async () => {
      const userId = randomUUID();
      await user({ id: userId });
      const payments = source.getRepository(PaymentEntity);
      const pay = (amount: string) =>
        payments.insert({
          id: randomUUID(),
          userId,
          amount,
          currency: 'BRL',
          method: 'pix',
          subscriptionId: null,
        });

      for (const amount of ['0', '0.00', '-1.50']) {
        expect(await violation(pay(amount))).toEqual({
          code: '23514',
          constraint: USER_DATA_CONSTRAINTS.paymentsAmountPositive,
        });
      }
      await pay('999999999999.99');
      const [stored] = await payments.findBy({ userId });
      expect(stored?.amount).toBe('999999999999.99');
    });

    it('rejects rows that point at a user that does not exist', async () => {
      const subscriptions = source.getRepository(SubscriptionEntity);
      const orphan = subscriptions.insert({
        id: randomUUID(),
        userId: randomUUID(),
        plan: 'basic',
        billingCycle: 'monthly',
        startDate: '2025-01-01',
      });
      expect(await violation(orphan)).toEqual({
        code: '23503',
        constraint: USER_DATA_CONSTRAINTS.subscriptionsUserFk,
      });
    });
  });
});
