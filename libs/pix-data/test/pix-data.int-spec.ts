import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import { USER_DATA_ENTITIES, USER_DATA_MIGRATIONS } from '@event-hub/user-data';
import { DataSource } from 'typeorm';
import { PIX_DATA_CONSTRAINTS as C } from '../src/constraints';
import { OutboxPackedRecords1765200000000 } from '../src/migrations/1765200000000-outbox-packed-records';
import { PIX_DATA_ENTITIES, PIX_DATA_MIGRATIONS } from '../src/pix-data';
import { PixPaymentReader } from '../src/pix-payment-reader';

describe('PIX tables against the real Postgres', () => {
  let db: TestDatabase;
  let source: DataSource;
  const tenant = 'acme';

  beforeAll(async () => {
    db = await createTestDatabase('pixdata');
    source = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [...USER_DATA_ENTITIES, ...PIX_DATA_ENTITIES],
      migrations: [...USER_DATA_MIGRATIONS, ...PIX_DATA_MIGRATIONS],
      migrationsTableName: 'pix_data_test_migrations',
    }).initialize();
    await source.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await source?.destroy();
    await db?.drop();
  });

  const violated = async (work: Promise<unknown>): Promise<string | undefined> => {
    try {
      await work;
    } catch (error) {
      return (error as { driverError?: { constraint?: string } }).driverError?.constraint;
    }
    throw new Error('expected the statement to be rejected');
  };

  async function openAccount(balance = '0.00'): Promise<string> {
    const userId = randomUUID();
    await source.query(
      `INSERT INTO users (id, tenant_id, name, email, document) VALUES ($1, $2, 'Ana', $3, $4)`,
      [
        userId,
        tenant,
        `${userId}@example.com`,
        userId.replace(/\D/g, '').padEnd(11, '0').slice(0, 11),
      ],
    );
    const id = randomUUID();
    await source.query(
      'INSERT INTO accounts (id, tenant_id, user_id, balance) VALUES ($1, $2, $3, $4)',
      [id, tenant, userId, balance],
    );
    return id;
  }

  const payment = (payer: string, overrides: Record<string, unknown> = {}) =>
    source.query(
      `INSERT INTO pix_payments (id, tenant_id, end_to_end_id, client_id, idempotency_key,
         payer_account_id, receiver_key_type, receiver_key_value, amount, state, receiver_account_id)
       VALUES ($1, $2, $3, 'ehc_1', $4, $5, 'EVP', $6, $7, $8, $9) RETURNING id`,
      [
        overrides['id'] ?? randomUUID(),
        tenant,
        overrides['endToEndId'] ?? `E12345678202612061300${randomUUID().slice(0, 11)}`,
        overrides['idempotencyKey'] ?? randomUUID(),
        payer,
        randomUUID(),
        overrides['amount'] ?? '10.00',
        overrides['state'] ?? 'requested',
        overrides['receiver'] ?? null,
      ],
    );

  it('keeps balances exact and never negative', async () => {
    const account = await openAccount('0.10');
    await source.query('UPDATE accounts SET balance = balance + 0.20 WHERE id = $1', [account]);
    const [row] = await source.query('SELECT balance FROM accounts WHERE id = $1', [account]);
    expect(row.balance).toBe('0.30');
    expect(
      await violated(
        source.query('UPDATE accounts SET balance = balance - 0.31 WHERE id = $1', [account]),
      ),
    ).toBe(C.accountsBalanceNotNegative);
  });

  it('refuses an account for a user that does not exist', async () => {
    expect(
      await violated(
        source.query('INSERT INTO accounts (id, tenant_id, user_id) VALUES ($1, $2, $3)', [
          randomUUID(),
          tenant,
          randomUUID(),
        ]),
      ),
    ).toBe(C.accountsUserFk);
  });

  it('makes a PIX key unique per tenant, not across tenants, and accepts only the known types', async () => {
    const account = await openAccount();
    const key = (tenantId: string, type = 'EMAIL') =>
      source.query(
        `INSERT INTO pix_keys (tenant_id, type, value, account_id) VALUES ($1, $2, 'ana@example.com', $3)`,
        [tenantId, type, account],
      );
    await key(tenant);
    expect(await violated(key(tenant))).toBe(C.pixKeysTenantValueUnique);
    await expect(key('other-tenant')).resolves.toBeDefined();
    expect(await violated(key(tenant, 'IBAN'))).toBe(C.pixKeysTypeCheck);
  });

  it('accepts a client idempotency key once and only positive amounts in known states', async () => {
    const payer = await openAccount();
    const idempotencyKey = randomUUID();
    await payment(payer, { idempotencyKey });
    expect(await violated(payment(payer, { idempotencyKey }))).toBe(C.paymentsIdempotencyUnique);
    expect(await violated(payment(payer, { amount: '0.00' }))).toBe(C.paymentsAmountPositive);
    expect(await violated(payment(payer, { state: 'lost' }))).toBe(C.paymentsStateCheck);
  });

  it("pages an account's statement newest first, as payer and as receiver, within its tenant", async () => {
    const account = await openAccount();
    const other = await openAccount();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [row] = await (i % 2 === 0
        ? payment(account, { receiver: other })
        : payment(other, { receiver: account }));
      ids.push(row.id);
    }
    const reader = new PixPaymentReader(source);

    const first = await reader.statement(tenant, account, 2);
    const second = await reader.statement(tenant, account, 2, first.next);
    const third = await reader.statement(tenant, account, 2, second.next);

    const paged = [...first.items, ...second.items, ...third.items];
    expect(paged.map((p) => p.id)).toEqual([...ids].reverse());
    expect(paged.map((p) => p.direction)).toEqual(['debit', 'credit', 'debit', 'credit', 'debit']);
    expect(third.next).toBeUndefined();
    expect((await reader.statement('other-tenant', account, 10)).items).toEqual([]);
  });

  it('reads a payment with its timeline, and nothing of another tenant', async () => {
    const [row] = await payment(await openAccount(), { state: 'validated' });
    await source.query(
      `INSERT INTO pix_payment_stages (payment_id, stage, at) VALUES
         ($1, 'requested', now() - interval '1 second'), ($1, 'validated', now())`,
      [row.id],
    );
    const reader = new PixPaymentReader(source);

    const read = await reader.payment(tenant, row.id);

    expect(read).toMatchObject({ id: row.id, state: 'validated', amount: '10.00' });
    expect(read?.timeline.map((t) => t.stage)).toEqual(['requested', 'validated']);
    expect(await reader.payment('other-tenant', row.id)).toBeUndefined();
  });

  it('lists the outbox record by record, packed ones in their order, and keeps extras to Kafka rows', async () => {
    const key = randomUUID();
    const record = (topic: string) => ({ topic, key, payload: `{"t":"${topic}"}`, headers: {} });
    const [{ id }] = await source.query(
      `INSERT INTO pix_outbox (destination, topic, message_key, payload, extras)
       VALUES ('kafka', 'a', $1, '{}', $2::jsonb) RETURNING id`,
      [key, JSON.stringify([record('b'), record('c')])],
    );

    const records: { position: string; topic: string; payload: string }[] = await source.query(
      'SELECT position, topic, payload FROM pix_outbox_records WHERE id = $1 ORDER BY position',
      [id],
    );
    expect(records.map((r) => [Number(r.position), r.topic])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(
      await violated(
        source.query(
          `INSERT INTO pix_outbox (destination, topic, message_key, payload, extras)
           VALUES ('rabbitmq', 'pix.payment.settled', $1, '{}', '[]'::jsonb)`,
          [key],
        ),
      ),
    ).toBe(C.outboxExtrasKafkaOnly);

    // Undone, the migration gives the records still waiting in extras rows of their own, in order
    // (the migrations after it undone first).
    const after =
      PIX_DATA_MIGRATIONS.length -
      1 -
      PIX_DATA_MIGRATIONS.indexOf(OutboxPackedRecords1765200000000);
    for (let i = 0; i <= after; i++) await source.undoLastMigration({ transaction: 'each' });
    const unpacked: { topic: string }[] = await source.query(
      'SELECT topic FROM pix_outbox WHERE message_key = $1 ORDER BY id',
      [key],
    );
    expect(unpacked.map((r) => r.topic)).toEqual(['a', 'b', 'c']);
    await source.runMigrations({ transaction: 'each' });
  });

  it("leaves room on pix_payments pages for the stages' updates (fillfactor 50)", async () => {
    const [{ reloptions }] = await source.query(
      `SELECT reloptions FROM pg_class WHERE oid = 'pix_payments'::regclass`,
    );
    expect(reloptions).toEqual(['fillfactor=50']);
  });

  it('reverts cleanly', async () => {
    for (const _ of PIX_DATA_MIGRATIONS) await source.undoLastMigration({ transaction: 'each' });
    const tables: unknown[] = await source.query(
      "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('accounts', 'pix_keys', 'pix_payments', 'pix_outbox')",
    );
    expect(tables).toHaveLength(0);
    await source.runMigrations({ transaction: 'each' });
  });
});
