import type { DataSource } from 'typeorm';
import { inTransaction, readCommitted } from './retry-conflicts';

/** A DataSource whose one connection records what it is sent; `fail` decides which text fails. */
function recordingSource(fail?: (sql: string, call: number) => unknown): {
  source: DataSource;
  sent: [string, unknown[]?][];
  released: () => number;
} {
  const sent: [string, unknown[]?][] = [];
  let releases = 0;
  const client = {
    query: (sql: string, parameters?: unknown[]) => {
      sent.push(parameters ? [sql, parameters] : [sql]);
      const error = fail?.(sql, sent.length);
      if (error) return Promise.reject(error);
      return Promise.resolve({ rows: [{ n: sent.length }] });
    },
  };
  const source = {
    createQueryRunner: () => ({
      connect: () => Promise.resolve(client),
      release: () => {
        releases += 1;
        return Promise.resolve();
      },
    }),
  } as unknown as DataSource;
  return { source, sent, released: () => releases };
}

describe('readCommitted', () => {
  it('sends BEGIN with the first statement and the writes at commit with the COMMIT', async () => {
    const { source, sent, released } = recordingSource();
    const rows = await readCommitted(source, async (tx) => {
      const first = await tx.query('SELECT $1::uuid[]', [['a', 'b']]);
      await tx.query('SELECT $1', [1]);
      tx.writeAtCommit('UPDATE t SET x = $1', ["it's"]);
      tx.writeAtCommit('INSERT INTO u VALUES ($1)', [null]);
      return first;
    });
    expect(rows).toEqual([{ n: 1 }]);
    expect(sent).toEqual([
      [`BEGIN ISOLATION LEVEL READ COMMITTED; SELECT '{"a","b"}'::uuid[]`],
      ['SELECT $1', [1]],
      ["UPDATE t SET x = 'it''s'; INSERT INTO u VALUES (NULL); COMMIT"],
    ]);
    expect(released()).toBe(1);
  });

  it('sends the writes at commit before a statement that comes after them, in order', async () => {
    const { source, sent } = recordingSource();
    await readCommitted(source, async (tx) => {
      await tx.query('SELECT 1');
      tx.writeAtCommit('INSERT 1', []);
      await tx.query('SELECT 2');
    });
    expect(sent.map(([sql]) => sql)).toEqual([
      'BEGIN ISOLATION LEVEL READ COMMITTED; SELECT 1',
      'INSERT 1',
      'SELECT 2',
      'COMMIT',
    ]);
  });

  it('rolls back when the writes sent with the COMMIT fail, and throws', async () => {
    const failure = Object.assign(new Error('duplicate key'), { code: '23505' });
    const { source, sent, released } = recordingSource((sql) =>
      sql.endsWith('COMMIT') ? failure : undefined,
    );
    await expect(
      readCommitted(source, async (tx) => {
        await tx.query('SELECT 1');
        tx.writeAtCommit('INSERT 1', []);
      }),
    ).rejects.toBe(failure);
    expect(sent.map(([sql]) => sql)).toEqual([
      'BEGIN ISOLATION LEVEL READ COMMITTED; SELECT 1',
      'INSERT 1; COMMIT',
      'ROLLBACK',
    ]);
    expect(released()).toBe(1);
  });

  it('refuses a write at commit whose parameters cannot be written as literals', async () => {
    const { source, sent } = recordingSource();
    await expect(
      readCommitted(source, async (tx) => {
        tx.writeAtCommit('INSERT $1', [{ a: 1 }]);
      }),
    ).rejects.toThrow('literals only');
    expect(sent).toEqual([]);
  });
});

describe('inTransaction', () => {
  it('runs the transaction again after a deadlock, not after another failure', async () => {
    const deadlock = Object.assign(new Error('deadlock'), { code: '40P01' });
    let attempts = 0;
    const { source } = recordingSource((sql) =>
      sql.endsWith('COMMIT') && attempts === 1 ? deadlock : undefined,
    );
    await inTransaction(source, async (tx) => {
      attempts += 1;
      tx.writeAtCommit('INSERT 1', []);
    });
    expect(attempts).toBe(2);
  });
});
