import { Logger } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { BulkWriter, type WriteOutcome } from './bulk-writer';
import { createIndexRequest, type IndexRequest } from './index-request';

type ItemAnswer = { status: number; error?: { type: string; reason: string } };
type Answer = ItemAnswer[] | Error;

/** A stand-in for the cluster that answers each bulk call from a script and records the bodies. */
function fakeCluster(...answers: Answer[]): { client: Client; bodies: string[][] } {
  const bodies: string[][] = [];
  const bulk = jest.fn(async ({ body }: { body: Buffer }) => {
    const operations = body.toString('utf8').split('\n').slice(0, -1);
    bodies.push(operations);
    const answer =
      answers.shift() ?? operations.filter((_, i) => i % 2 === 0).map(() => ({ status: 201 }));
    if (answer instanceof Error) throw answer;
    return {
      errors: answer.some((a) => a.status >= 300),
      items: answer.map((a) => ({ create: a })),
    };
  });
  return { client: { bulk } as unknown as Client, bodies };
}

function log(
  id: string,
  doc: object = { topic: 't', partition: 0, offset: Number(id), payload: { a: 1 } },
): IndexRequest {
  return createIndexRequest('logs-2025.01.31', id, 'log', doc);
}

const options = { deadLetterIndex: 'logs-deadletter', requestTimeoutMs: 1000 };

function outcomes(result: { items: { outcome?: WriteOutcome }[] }): (WriteOutcome | undefined)[] {
  return result.items.map((i) => i.outcome);
}

function connectionError(): Error {
  return new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200');
}

describe('bulk writer', () => {
  beforeAll(() => Logger.overrideLogger(false));
  it('treats 201 as created and 409 on create as already stored', async () => {
    const { client, bodies } = fakeCluster([{ status: 201 }, { status: 409 }]);
    const result = await new BulkWriter(client, options).write(
      [log('1'), log('2')],
      1000,
      'direct',
    );

    expect(outcomes(result)).toEqual(['created', 'duplicate']);
    expect(bodies[0]?.[0]).toBe('{"create":{"_index":"logs-2025.01.31","_id":"1"}}');
  });

  it('retries only the items answered 429 or 5xx', async () => {
    const { client, bodies } = fakeCluster(
      [{ status: 201 }, { status: 429 }, { status: 503 }],
      [{ status: 201 }, { status: 201 }],
    );
    const result = await new BulkWriter(client, options).write(
      [log('1'), log('2'), log('3')],
      5000,
      'direct',
    );

    expect(outcomes(result)).toEqual(['created', 'created', 'created']);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.filter((_, i) => i % 2 === 0)).toEqual([
      '{"create":{"_index":"logs-2025.01.31","_id":"2"}}',
      '{"create":{"_index":"logs-2025.01.31","_id":"3"}}',
    ]);
  });

  it('sends a rejected document to the dead-letter index with the reason, without its payload', async () => {
    const rejection = {
      type: 'document_parsing_exception',
      reason: 'the [flattened] field exceeds the maximum depth',
    };
    const { client, bodies } = fakeCluster(
      [{ status: 201 }, { status: 400, error: rejection }],
      [{ status: 201 }],
    );
    const onDeadLetter = jest.fn();
    const result = await new BulkWriter(client, options, { onDeadLetter }).write(
      [log('1'), log('2')],
      0,
      'direct',
    );

    expect(outcomes(result)).toEqual(['created', 'dead-lettered']);
    expect(onDeadLetter).toHaveBeenCalledWith(rejection);
    expect(bodies[1]?.[0]).toBe('{"create":{"_index":"logs-deadletter","_id":"2"}}');
    const deadLetter = JSON.parse(bodies[1]?.[1] ?? '{}');
    expect(deadLetter).toMatchObject({
      topic: 't',
      offset: 2,
      deadLetter: { ...rejection, index: 'logs-2025.01.31' },
    });
    expect(deadLetter).not.toHaveProperty('payload');
  });

  it('falls back to a coordinates-only dead letter, then gives up without blocking the batch', async () => {
    const rejection = { type: 'mapper_parsing_exception', reason: 'bad' };
    const { client, bodies } = fakeCluster(
      [{ status: 400, error: rejection }],
      [{ status: 400, error: rejection }],
      [{ status: 400, error: rejection }],
    );
    const result = await new BulkWriter(client, options).write([log('1')], 0, 'direct');

    expect(JSON.parse(bodies[2]?.[1] ?? '{}')).toMatchObject({
      offset: 1,
      deadLetter: { contentOmitted: true },
    });
    expect(outcomes(result)).toEqual(['unindexable']);
  });

  it('reports failed what is still not stored when the retry budget is spent', async () => {
    const { client } = fakeCluster(
      connectionError(),
      connectionError(),
      connectionError(),
      connectionError(),
    );
    const started = Date.now();
    const result = await new BulkWriter(client, options).write([log('1'), log('2')], 250, 'direct');

    expect(outcomes(result)).toEqual(['failed', 'failed']);
    expect(result.lastError).toContain('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps the dead-letter version of a failed item, so it spills as a dead letter', async () => {
    const { client } = fakeCluster(
      [{ status: 400, error: { type: 'x', reason: 'y' } }],
      connectionError(),
    );
    const result = await new BulkWriter(client, options).write([log('1')], 0, 'direct');

    expect(result.items[0]).toMatchObject({
      outcome: 'failed',
      request: { index: 'logs-deadletter', kind: 'dead-letter' },
    });
  });

  it('splits a request the cluster finds too large, down to the single document it dead-letters', async () => {
    const tooLarge = new errors.ResponseError({
      statusCode: 413,
      body: {},
      headers: {},
      warnings: null,
      meta: {} as never,
    });
    const { client } = fakeCluster(tooLarge, [{ status: 201 }], tooLarge, [{ status: 201 }]);
    const result = await new BulkWriter(client, options).write([log('1'), log('2')], 0, 'direct');

    expect(outcomes(result)).toEqual(['created', 'dead-lettered']);
    expect(result.items[1]?.request).toMatchObject({ index: 'logs-deadletter' });
  });
});
