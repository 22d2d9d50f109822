import type { PoolClient } from 'pg';
import { escapeLiteral } from 'pg';
import { inlineParameters, PostgresTransaction, quoteLiteral } from './postgres-transaction';

/** A client that records what it is sent and answers one empty result per query. */
function recordingClient(failOn?: RegExp): { client: PoolClient; sent: [string, unknown[]?][] } {
  const sent: [string, unknown[]?][] = [];
  const client = {
    query: (sql: string, parameters?: unknown[]) => {
      sent.push(parameters ? [sql, parameters] : [sql]);
      if (failOn?.test(sql)) return Promise.reject(new Error('statement failed'));
      return Promise.resolve({ rows: [] });
    },
  } as unknown as PoolClient;
  return { client, sent };
}

describe('PostgresTransaction', () => {
  it('sends BEGIN with the first statement after beginLazily, its parameters written as literals', async () => {
    const { client, sent } = recordingClient();
    const transaction = new PostgresTransaction(client);
    transaction.beginLazily();
    await transaction.query('SELECT $1::uuid, $2', ['0b1c', "it's"]);
    await transaction.query('SELECT $1', ['x']);
    await transaction.commit('INSERT 1');
    expect(sent).toEqual([
      ["BEGIN; SELECT '0b1c'::uuid, 'it''s'"],
      ['SELECT $1', ['x']],
      ['INSERT 1; COMMIT'],
    ]);
  });

  it('commits a lazily begun transaction whose only statement is the last one in one round trip', async () => {
    const { client, sent } = recordingClient();
    const transaction = new PostgresTransaction(client);
    transaction.beginLazily();
    await transaction.commit('INSERT 1');
    expect(sent).toEqual([['BEGIN; INSERT 1; COMMIT']]);
  });

  it('sends BEGIN alone when a parameter cannot be written as a literal', async () => {
    const { client, sent } = recordingClient();
    const transaction = new PostgresTransaction(client);
    transaction.beginLazily();
    await transaction.query('SELECT $1', [{ a: 1 }]);
    expect(sent).toEqual([['BEGIN'], ['SELECT $1', [{ a: 1 }]]]);
  });

  it('rolls back when the statement that carried BEGIN failed', async () => {
    const { client, sent } = recordingClient(/^BEGIN/);
    const transaction = new PostgresTransaction(client);
    transaction.beginLazily();
    await expect(transaction.query('SELECT $1', ['x'])).rejects.toThrow('statement failed');
    await transaction.rollback();
    expect(sent).toEqual([["BEGIN; SELECT 'x'"], ['ROLLBACK']]);
  });

  it('sends no ROLLBACK when BEGIN was never sent', async () => {
    const { client, sent } = recordingClient();
    const transaction = new PostgresTransaction(client);
    transaction.beginLazily();
    await transaction.rollback();
    expect(sent).toEqual([]);
  });
});

describe('inlineParameters', () => {
  it('writes strings, numbers, booleans and nulls as quoted literals, or NULL', () => {
    expect(
      inlineParameters('SELECT $1, $2, $3, $4, $5', ['a\\b', 12.5, true, null, undefined]),
    ).toBe("SELECT  E'a\\\\b', '12.5', 'true', NULL, NULL");
  });

  it('tells $1 from $10', () => {
    const parameters = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParameters('$10 $1', parameters)).toBe("'v10' 'v1'");
  });

  it('writes arrays as pg does: elements double-quoted, backslashes and quotes escaped', () => {
    expect(inlineParameters('SELECT $1::text[]', [['a', 'b"c', null, "d'e"]])).toBe(
      // The quote's escaping backslash is then doubled by escapeLiteral (an E'' literal).
      `SELECT  E'{"a","b\\\\"c",NULL,"d''e"}'::text[]`,
    );
  });

  it('gives up on objects, nested arrays and missing parameters', () => {
    expect(inlineParameters('SELECT $1', [{ a: 1 }])).toBeUndefined();
    expect(inlineParameters('SELECT $1', [[['a']]])).toBeUndefined();
    expect(inlineParameters('SELECT $2', ['a'])).toBeUndefined();
  });
});

describe('quoteLiteral', () => {
  it("writes what pg's escapeLiteral writes", () => {
    for (const value of [
      '',
      'plain',
      "it's",
      "''",
      'a\\b',
      "\\'\\",
      JSON.stringify({ text: 'say "hi"\n', quote: "o'clock", path: 'C:\\x' }),
      'ç — ☃',
    ]) {
      expect(quoteLiteral(value)).toBe(escapeLiteral(value));
    }
  });
});
