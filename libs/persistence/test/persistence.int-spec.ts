import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { withDatabase } from '../src/database-url';
import { dropDatabase, ensureDatabaseExists } from '../src/ensure-database';
import { runMigrationsExclusively } from '../src/run-migrations';

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE widgets (id uuid PRIMARY KEY, name text NOT NULL)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE widgets');
  }
}

async function tables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    return result.rows.map((r) => r.tablename);
  } finally {
    await client.end();
  }
}

describe('persistence against the real Postgres', () => {
  // This library's own functions make the test database (@event-hub/testing builds on them).
  const db = { url: '' };

  beforeEach(async () => {
    const server = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/event_hub';
    db.url = withDatabase(server, `eh_persistence_${randomBytes(4).toString('hex')}`);
    await ensureDatabaseExists(db.url);
  });

  afterEach(() => dropDatabase(db.url));

  const dataSource = () =>
    new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: [CreateWidgets1700000000000],
      migrationsTableName: 'test_migrations',
    });

  it('creates a missing database once and leaves an existing one alone', async () => {
    await dropDatabase(db.url);
    expect(await ensureDatabaseExists(db.url)).toBe(true);
    expect(await ensureDatabaseExists(db.url)).toBe(false);
  });

  it('creates a missing database exactly once when eight services ask at the same time', async () => {
    await dropDatabase(db.url);
    const created = await Promise.all(
      Array.from({ length: 8 }, () => ensureDatabaseExists(db.url)),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await tables(db.url)).toEqual([]);
  });

  it('applies migrations to an empty database and reverts them', async () => {
    const source = await dataSource().initialize();
    try {
      const applied = await runMigrationsExclusively(source);
      expect(applied.map((m) => m.name)).toEqual(['CreateWidgets1700000000000']);
      expect(await tables(db.url)).toEqual(['test_migrations', 'widgets']);

      await source.undoLastMigration({ transaction: 'each' });
      expect(await tables(db.url)).toEqual(['test_migrations']);
    } finally {
      await source.destroy();
    }
  });

  it('lets replicas that start together migrate one after the other', async () => {
    const sources = await Promise.all([dataSource().initialize(), dataSource().initialize()]);
    try {
      const results = await Promise.all(sources.map((s) => runMigrationsExclusively(s)));
      expect(results.map((r) => r.length).sort()).toEqual([0, 1]);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
    }
  });
});
