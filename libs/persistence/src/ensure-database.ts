import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { databaseName, withDatabase } from './database-url';

/** Postgres's codes for "that database already exists": the statement's own, and the catalog's. */
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the database named in `url` when the server does not have it yet (first start). Safe when
 * the services of a first start (or replicas) call it at once: they take turns under an advisory
 * lock, so exactly one creates it and none fails or makes the server log an error. A creator that
 * does not take the lock (an older build, a person) can still win the race: that is caught too.
 */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const name = databaseName(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    // Session-level: CREATE DATABASE cannot run inside a transaction. Released when the session ends.
    await admin.query('SELECT pg_advisory_lock($1)', [creationLockKey(name)]);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw error;
      return false;
    }
    return true;
  } finally {
    await admin.end();
  }
}

/** One advisory lock key per database name (a signed 64-bit integer, as Postgres takes it). */
function creationLockKey(name: string): string {
  return createHash('sha256')
    .update(`event-hub:create-database:${name}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/** Drops a database (tests clean up after themselves), closing any leftover connections. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
