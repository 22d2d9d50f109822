import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { inlineParameters, PostgresTransaction } from '../../transactions/postgres-transaction';

/** serialization_failure and deadlock_detected: the transaction did nothing and may run again. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

export function isRetryableConflict(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string }; code?: string }) ?? {};
  const code = driverError.driverError?.code ?? driverError.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/** The statements of one PIX transaction. */
export interface PixStatements {
  /** Runs `sql` and answers its rows (the last statement's, of a multi-statement text). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /**
   * A write whose rows nobody reads: sent with the COMMIT, in the same round trip, or before the
   * next {@link query} if one comes (writes stay in the order given). It fails the transaction as
   * any statement does: Postgres then skips the COMMIT, and the transaction is rolled back.
   */
  writeAtCommit(sql: string, parameters: unknown[]): void;
}

/**
 * One transaction of {@link readCommitted}: BEGIN travels with the first statement and COMMIT
 * with the last writes ({@link PostgresTransaction}), so a transaction costs no round trip of its
 * own.
 */
class PixTransaction implements PixStatements {
  private writes: string[] = [];

  constructor(private readonly transaction: PostgresTransaction) {
    transaction.beginLazily();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async query<T = any>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const writes = this.takeWrites();
    if (writes !== undefined) await this.transaction.query(writes, []);
    return (await this.transaction.query(sql, parameters)) as T[];
  }

  writeAtCommit(sql: string, parameters: unknown[]): void {
    // Literals: a multi-statement text takes no parameters.
    const inlined = inlineParameters(sql, parameters);
    if (inlined === undefined) throw new Error(`a write at commit takes literals only: ${sql}`);
    this.writes.push(inlined);
  }

  commit(): Promise<void> {
    return this.transaction.commit(this.takeWrites());
  }

  rollback(): Promise<void> {
    this.writes = [];
    return this.transaction.rollback();
  }

  private takeWrites(): string | undefined {
    if (this.writes.length === 0) return undefined;
    const writes = this.writes.join('; ');
    this.writes = [];
    return writes;
  }
}

/**
 * Runs `work` in one READ COMMITTED transaction (the level travels in the `BEGIN`), on a pooled
 * connection of the DataSource. BEGIN goes with the first statement and COMMIT with the last one
 * sent through {@link PixStatements.writeAtCommit}: a chunk's transaction is its statements' round
 * trips and no more (each round trip costs system calls at both ends; measured in bench:pix,
 * tools/bench/README.md).
 */
export async function readCommitted<T>(
  source: DataSource,
  work: (statements: PixStatements) => Promise<T>,
): Promise<T> {
  const runner = source.createQueryRunner();
  let transaction: PixTransaction | undefined;
  try {
    transaction = new PixTransaction(
      new PostgresTransaction(
        (await runner.connect()) as PoolClient,
        'BEGIN ISOLATION LEVEL READ COMMITTED',
      ),
    );
    const result = await work(transaction);
    await transaction.commit();
    return result;
  } catch (error) {
    await transaction?.rollback();
    throw error;
  } finally {
    await runner.release().catch(() => undefined);
  }
}

/**
 * Runs `work` in a READ COMMITTED transaction, again when Postgres aborted it for a serialization
 * failure or a deadlock. Writers lock rows in a stable order so deadlocks should not happen;
 * this is the safety net that keeps one from ever reaching the client.
 */
export async function inTransaction<T>(
  source: DataSource,
  work: (statements: PixStatements) => Promise<T>,
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
