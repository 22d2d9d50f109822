import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import { DataSource } from 'typeorm';
import { BILLING_DATA_ENTITIES, BILLING_DATA_MIGRATIONS } from '../src/billing-data';
import { BILLING_CONSTRAINTS } from '../src/constraints';

const MIGRATIONS_TABLE = 'billing_data_test_migrations';

describe('billing table against the real Postgres', () => {
  let db: TestDatabase;
  let source: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('billingdata');
    source = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: BILLING_DATA_ENTITIES,
      migrations: BILLING_DATA_MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
    }).initialize();
    await source.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await source?.destroy();
    await db?.drop();
  });

  const insert = (row: Record<string, unknown>) =>
    source.query(
      `INSERT INTO billing (tenant, topic, client_id, messages, bytes, action, event_time, usage_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (usage_event_id) DO NOTHING RETURNING id`,
      [
        row['tenant'] ?? 'acme',
        row['topic'] ?? 'orders',
        row['clientId'] ?? 'ehc_1',
        row['messages'] ?? 3,
        row['bytes'] ?? '1234',
        row['action'] ?? 'produce',
        row['eventTime'] ?? '2026-11-01T00:00:00Z',
        row['usageEventId'] ?? randomUUID(),
      ],
    );

  const violated = async (work: Promise<unknown>): Promise<string | undefined> => {
    try {
      await work;
    } catch (error) {
      return (error as { driverError?: { constraint?: string } }).driverError?.constraint;
    }
    throw new Error('expected the insert to be rejected');
  };

  it('inserts a usage event once: the same usage event id again inserts nothing', async () => {
    const usageEventId = randomUUID();
    expect(await insert({ usageEventId })).toHaveLength(1);
    expect(await insert({ usageEventId, messages: 99 })).toHaveLength(0);
    const rows = await source.query('SELECT messages FROM billing WHERE usage_event_id = $1', [
      usageEventId,
    ]);
    expect(rows).toEqual([{ messages: 3 }]);
  });

  it('accepts only produce and consume, and no negative counts', async () => {
    expect(await violated(insert({ action: 'delete' }))).toBe(BILLING_CONSTRAINTS.actionCheck);
    expect(await violated(insert({ messages: -1 }))).toBe(BILLING_CONSTRAINTS.messagesNotNegative);
    expect(await violated(insert({ bytes: '-1' }))).toBe(BILLING_CONSTRAINTS.bytesNotNegative);
  });

  it('keeps bytes beyond 2^53 exact', async () => {
    const usageEventId = randomUUID();
    await insert({ usageEventId, bytes: '9223372036854775807' });
    const rows = await source.query('SELECT bytes FROM billing WHERE usage_event_id = $1', [
      usageEventId,
    ]);
    expect(rows).toEqual([{ bytes: '9223372036854775807' }]);
  });

  it('has the indexes the reports read', async () => {
    const rows: { indexname: string }[] = await source.query(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'billing' ORDER BY indexname",
    );
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        BILLING_CONSTRAINTS.tenantEventTimeIndex,
        BILLING_CONSTRAINTS.eventTimeIndex,
        BILLING_CONSTRAINTS.usageEventUnique,
      ]),
    );
  });

  it('reverts cleanly', async () => {
    await source.undoLastMigration({ transaction: 'each' });
    const tables: unknown[] = await source.query(
      "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'billing'",
    );
    expect(tables).toHaveLength(0);
    await source.runMigrations({ transaction: 'each' });
  });
});
