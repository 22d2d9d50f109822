import { createHash } from 'node:crypto';
import type { DataSource, Migration } from 'typeorm';

/**
 * Runs pending migrations while holding a Postgres advisory lock, so replicas starting at the same
 * time migrate one after the other instead of racing on the same DDL.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  const key = lockKey(dataSource.options.migrationsTableName ?? 'migrations');
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}

function lockKey(name: string): string {
  // A stable signed 64-bit key derived from the migrations table name.
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
