import type { PoolClient, QueryResult, QueryResultRow } from 'pg';

/**
 * A transaction on one pooled connection whose own cost is two round trips, not four: BEGIN
 * travels with the first statement and COMMIT with the last, as simple-protocol multi-statement
 * queries (which take no parameters, so their literals must be escaped with `escapeLiteral`).
 * Postgres skips the rest of such a query after a failing statement, so a failed last statement
 * never commits. Each round trip costs system calls at both ends, which on a small virtualised box
 * outweigh the statements themselves.
 */
export class PostgresTransaction {
  private open = false;

  constructor(private readonly client: PoolClient) {}

  /** Starts the transaction, running `firstSql` in the same round trip; returns its rows. */
  async begin<T extends QueryResultRow>(firstSql?: string): Promise<T[]> {
    // Open from here on even if `firstSql` fails: BEGIN ran, and the connection must not go back
    // to the pool inside an aborted transaction.
    this.open = true;
    return rowsOfLast(await this.client.query<T>(firstSql ? `BEGIN; ${firstSql}` : 'BEGIN'));
  }

  async query<T extends QueryResultRow>(sql: string, parameters: unknown[]): Promise<T[]> {
    return (await this.client.query<T>(sql, parameters)).rows;
  }

  /** Runs `lastSql` and commits in the same round trip. */
  async commit(lastSql?: string): Promise<void> {
    await this.client.query(lastSql ? `${lastSql}; COMMIT` : 'COMMIT');
    this.open = false;
  }

  /**
   * Rolls back unless committed (Postgres only warns if the transaction already ended); a broken
   * connection is left for the pool to discard.
   */
  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.client.query('ROLLBACK').catch(() => undefined);
  }
}

function rowsOfLast<T extends QueryResultRow>(result: QueryResult<T> | QueryResult<T>[]): T[] {
  const results = Array.isArray(result) ? result : [result];
  return results[results.length - 1]?.rows ?? [];
}
