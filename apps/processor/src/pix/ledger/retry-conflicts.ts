import type { DataSource, EntityManager } from 'typeorm';

/** serialization_failure and deadlock_detected: the transaction did nothing and may run again. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

export function isRetryableConflict(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string }; code?: string }) ?? {};
  const code = driverError.driverError?.code ?? driverError.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/**
 * Runs `work` in one READ COMMITTED transaction. Unlike `DataSource.transaction('READ COMMITTED')`,
 * which sends `START TRANSACTION` and then `SET TRANSACTION ISOLATION LEVEL …`, the level travels
 * in the `BEGIN` itself: one round trip less per transaction on the PIX hot path (measured in
 * bench:pix, tools/bench/README.md).
 */
export async function readCommitted<T>(
  source: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  // `work` issues raw statements only (m.query); TypeORM's own transaction bookkeeping is not needed.
  const runner = source.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    let result: T;
    try {
      result = await work(runner.manager);
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await runner.query('COMMIT');
    return result;
  } finally {
    await runner.release();
  }
}

/**
 * Runs `work` in a READ COMMITTED transaction, again when Postgres aborted it for a serialization
 * failure or a deadlock. Writers lock rows in a stable order so deadlocks should not happen;
 * this is the safety net that keeps one from ever reaching the client.
 */
export async function inTransaction<T>(
  source: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readCommitted(source, work);
    } catch (error) {
      if (!isRetryableConflict(error) || attempt >= attempts) throw error;
    }
  }
}
