import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabaseExists, withDatabase } from '@event-hub/persistence';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database on the test server; `drop()` removes it (tests leave none). */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/event_hub';
  const url = withDatabase(base, `eh_${prefix}_${randomBytes(4).toString('hex')}`);
  await ensureDatabaseExists(url);
  return { url, drop: () => dropDatabase(url) };
}
