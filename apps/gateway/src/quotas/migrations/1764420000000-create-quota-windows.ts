import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Table of the shared rate quota windows (rate-limiter-flexible's RateLimiterPostgres layout). */
export const QUOTA_WINDOWS_TABLE = 'rate_quota_windows';

/**
 * The rate quota windows every gateway instance leases from: one row per tenant, direction and
 * unit (`key`), with the points taken in the current window and when it ends (`expire`, epoch
 * ms). Columns as rate-limiter-flexible reads and writes them, but `points` is a double rather
 * than the library's integer: a bytes/s quota can pass 2^31, and node-postgres returns a double
 * as a number (a bigint would come back as a string); integers stay exact up to 2^53.
 */
export class CreateQuotaWindows1764420000000 implements MigrationInterface {
  name = 'CreateQuotaWindows1764420000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${QUOTA_WINDOWS_TABLE} (
        key varchar(255) PRIMARY KEY,
        points double precision NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${QUOTA_WINDOWS_TABLE}`);
  }
}
