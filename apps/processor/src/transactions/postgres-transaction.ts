import type { PoolClient, QueryResult, QueryResultRow } from 'pg';

/**
 * A transaction on one pooled connection whose own cost is no round trip of its own: BEGIN travels
 * with the first statement and COMMIT with the last, as simple-protocol multi-statement queries
 * (which take no parameters, so their literals must be escaped: {@link quoteLiteral}). Postgres
 * skips the rest of such a query after a failing statement, so a failed last statement never
 * commits. Each round trip costs system calls at both ends, which on a small virtualised box
 * outweigh the statements themselves.
 *
 * BEGIN goes either with a statement of the caller's ({@link begin}) or, after {@link beginLazily},
 * with whatever statement comes first: a parameterized one then has its parameters written into
 * its text as literals, which Postgres reads exactly as it reads the untyped text parameters that
 * `pg` sends.
 */
export class PostgresTransaction {
  private open = false;
  private beginPending = false;

  /** `beginSql`: the statement that starts it, e.g. with an isolation level. */
  constructor(
    private readonly client: PoolClient,
    private readonly beginSql = 'BEGIN',
  ) {}

  /** Starts the transaction, running `firstSql` in the same round trip; returns its rows. */
  async begin<T extends QueryResultRow>(firstSql?: string): Promise<T[]> {
    // Open from here on even if `firstSql` fails: BEGIN ran, and the connection must not go back
    // to the pool inside an aborted transaction.
    this.open = true;
    return rowsOfLast(
      await this.client.query<T>(firstSql ? `${this.beginSql}; ${firstSql}` : this.beginSql),
    );
  }

  /** Starts the transaction with the next statement, whichever it is (no round trip now). */
  beginLazily(): void {
    this.beginPending = true;
  }

  async query<T extends QueryResultRow>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (this.beginPending) {
      this.beginPending = false;
      const inlined = inlineParameters(sql, parameters);
      if (inlined !== undefined) return this.begin<T>(inlined);
      await this.begin();
    }
    return (await this.client.query<T>(sql, parameters)).rows;
  }

  /** Runs `lastSql` and commits in the same round trip. */
  async commit(lastSql?: string): Promise<void> {
    if (this.beginPending) {
      // Nothing ran yet: the last statement is the whole transaction.
      this.beginPending = false;
      if (lastSql) await this.begin(`${lastSql}; COMMIT`);
    } else {
      await this.client.query(lastSql ? `${lastSql}; COMMIT` : 'COMMIT');
    }
    this.open = false;
  }

  /**
   * Rolls back unless committed (Postgres only warns if the transaction already ended); a broken
   * connection is left for the pool to discard.
   */
  async rollback(): Promise<void> {
    this.beginPending = false;
    if (!this.open) return;
    this.open = false;
    await this.client.query('ROLLBACK').catch(() => undefined);
  }
}

function rowsOfLast<T extends QueryResultRow>(result: QueryResult<T> | QueryResult<T>[]): T[] {
  const results = Array.isArray(result) ? result : [result];
  return results[results.length - 1]?.rows ?? [];
}

/**
 * `sql` with each `$n` replaced by its parameter as a quoted literal (an untyped constant, as the
 * text parameter `pg` would send), or undefined when a parameter is of a kind not handled here
 * (then the statement is sent with its parameters). Only for the statements of this codebase: they
 * hold no `$` in quoted text.
 */
export function inlineParameters(sql: string, parameters: unknown[]): string | undefined {
  const literals: string[] = [];
  for (const parameter of parameters) {
    const literal = literalOf(parameter);
    if (literal === undefined) return undefined;
    literals.push(literal);
  }
  let complete = true;
  const text = sql.replace(/\$(\d+)/g, (_, position: string) => {
    const literal = literals[Number(position) - 1];
    if (literal === undefined) complete = false;
    return literal ?? '';
  });
  return complete ? text : undefined;
}

function literalOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return quoteLiteral(String(value));
  if (Array.isArray(value)) {
    const elements: string[] = [];
    for (const element of value) {
      if (element === null || element === undefined) elements.push('NULL');
      // As `pg` writes array elements: double-quoted, backslash and quote escaped.
      else if (typeof element === 'string' || typeof element === 'number')
        elements.push(`"${String(element).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
      else return undefined;
    }
    return quoteLiteral(`{${elements.join(',')}}`);
  }
  return undefined;
}

/**
 * `value` as a quoted literal, exactly as pg's `escapeLiteral` writes it (quotes doubled; with a
 * backslash, an `E''` literal with backslashes doubled), but with native replaces instead of a
 * character-by-character loop: an outbox row's JSON payloads sent with a COMMIT are kilobytes,
 * which pg's loop took ~17 × longer to copy (a CPU profile of bench:pix's processor).
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\\')) {
    return ` E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  }
  return `'${value.replace(/'/g, "''")}'`;
}
