import type { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  TransactionAbortedError,
  type TrailerRecord,
  type TransactionalRecord,
} from '@event-hub/kafka';
import type { GatewayEnvironment } from '../../../../config/gateway.environment';
import type { RateQuotas } from '../../../../quotas/rate-quotas';
import type {
  RecordValueProblem,
  RecordValueValidator,
} from '../../../../schemas/record-value-validator';
import type { TenantTopic, TenantTopicDirectory } from '../../../../topics/tenant-topic-directory';
import type { UsageEvents } from '../../../../usage/usage-events';
import type { PendingProduceSettler, Settled } from '../../idempotency/pending-produce-settler';
import type {
  IdempotencyOutcome,
  ProduceIdempotencyStore,
} from '../../idempotency/produce-idempotency.store';
import type { ProduceCrashPoints } from '../../shared/produce-crash-points';
import type { ProduceTransactions } from '../../shared/produce-transactions';
import { PRODUCE_METRICS, ProduceMetrics } from '../../shared/produce.metrics';
import { ProduceRecordsCommand } from './produce-records.command';
import { ProduceRecordsHandler } from './produce-records.handler';

const TOPIC: TenantTopic = {
  tenantId: 'acme',
  name: 'orders',
  physicalName: 'tenant.acme.orders',
  partitions: 3,
  cleanupPolicy: 'delete',
  valueSubject: 'orders-value',
};

const ENV: Partial<GatewayEnvironment> = {
  GATEWAY_PRODUCE_MAX_RECORDS: 100,
  GATEWAY_PRODUCE_MAX_RECORD_BYTES: 1024,
  GATEWAY_PRODUCE_MAX_REQUEST_BYTES: 4096,
  GATEWAY_RETRY_AFTER_SECONDS: 5,
  GATEWAY_PRODUCE_TIMEOUT_MS: 5000,
};

/** The produce path's real series, as the app provides them. */
let metrics: ProduceMetrics;
beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({ providers: PRODUCE_METRICS }).compile();
  metrics = moduleRef.get(ProduceMetrics);
});

/** The handler with in-memory stand-ins for the ports around it; Kafka writes are recorded. */
function setUp(
  options: {
    problems?: RecordValueProblem[];
    writeError?: Error;
    topic?: TenantTopic;
    claim?: IdempotencyOutcome;
    settled?: Settled;
  } = {},
) {
  const writes: TransactionalRecord[][] = [];
  const taken: [string, string, number, number][] = [];
  const released: string[] = [];
  const directory = {
    find: async (_t: string, name: string) =>
      name === 'orders' ? (options.topic ?? TOPIC) : undefined,
  };
  const transactions = {
    write: async (records: TransactionalRecord[], trailer?: TrailerRecord) => {
      if (options.writeError) throw options.writeError;
      const positionsOf = (written: TransactionalRecord[]) =>
        written.map((r, i) => ({ topic: r.topic, partition: r.message.partition, offset: `${i}` }));
      const all = trailer ? [...records, trailer(positionsOf(records))] : records;
      writes.push(all);
      return positionsOf(all);
    },
  };
  const usage = {
    topic: 'usage_events',
    partitionCount: async () => 2,
    message: (data: object) => ({ key: 'acme', value: JSON.stringify({ data }) }),
  };
  const idempotency = {
    claim: async () => options.claim ?? { kind: 'claimed', claimId: 'c1' },
    complete: async () => undefined,
    release: async (_c: string, key: string) => void released.push(key),
  };
  const validator = { validate: async () => options.problems ?? [] };
  const quotas = {
    ready: async () => undefined,
    take: (tenant: string, direction: string, records: number, bytes: number) =>
      void taken.push([tenant, direction, records, bytes]),
  };
  const handler = new ProduceRecordsHandler(
    directory as unknown as TenantTopicDirectory,
    transactions as unknown as ProduceTransactions,
    usage as unknown as UsageEvents,
    idempotency as unknown as ProduceIdempotencyStore,
    metrics,
    validator as unknown as RecordValueValidator,
    quotas as unknown as RateQuotas,
    {
      settle: async () => options.settled ?? { kind: 'claimed', claimId: 'c2' },
    } as unknown as PendingProduceSettler,
    { reached: () => undefined } as unknown as ProduceCrashPoints,
    { get: (key: keyof GatewayEnvironment) => ENV[key] } as unknown as ConfigService<
      GatewayEnvironment,
      true
    >,
  );
  return { handler, writes, taken, released };
}

const produce = (values: unknown[], idempotency?: { key: string; requestHash: string }) =>
  new ProduceRecordsCommand(
    'acme',
    'ehc_1',
    'orders',
    values.map((value) => ({ value })),
    idempotency,
  );

describe('ProduceRecordsHandler', () => {
  it('writes the records and one usage event in the same transaction, answering only the records', async () => {
    const { handler, writes } = setUp();
    const result = await handler.execute(produce([{ a: 1 }, { a: 2 }]));

    expect(writes).toHaveLength(1);
    expect(writes[0]?.map((r) => r.topic)).toEqual([
      'tenant.acme.orders',
      'tenant.acme.orders',
      'usage_events',
    ]);
    expect(JSON.parse(String(writes[0]?.[2]?.message.value)).data).toMatchObject({
      tenant: 'acme',
      topic: 'orders',
      clientId: 'ehc_1',
      action: 'produce',
      messages: 2,
      bytes: 14,
    });
    expect(result.view.records).toHaveLength(2);
  });

  it('with an Idempotency-Key, sends the usage event after the records, carrying the key and their positions', async () => {
    const { handler, writes } = setUp();
    const result = await handler.execute(
      produce([{ a: 1 }, { a: 2 }], { key: 'k', requestHash: 'h' }),
    );

    expect(writes[0]?.map((r) => r.topic)).toEqual([
      'tenant.acme.orders',
      'tenant.acme.orders',
      'usage_events',
    ]);
    const usage = JSON.parse(String(writes[0]?.[2]?.message.value)).data;
    expect(usage.idempotency).toEqual({ key: 'k', records: result.view.records });
    expect(result).toMatchObject({
      replayed: false,
      view: { records: [{ offset: '0' }, { offset: '1' }] },
    });
  });

  it('answers a key whose earlier attempt the log shows committed with that answer, writing nothing', async () => {
    const first = { records: [{ partition: 1, offset: '41' }] };
    const { handler, writes } = setUp({
      claim: {
        kind: 'pending',
        claim: { claimId: 'c0', claimedBy: 'x', claimedAt: new Date(), ageMs: 1 },
      },
      settled: { kind: 'replay', response: first },
    });

    const result = await handler.execute(produce([1], { key: 'k', requestHash: 'h' }));

    expect(result).toEqual({ view: first, replayed: true });
    expect(writes).toEqual([]);
  });

  it('rejects the whole batch with 422 naming each failing records[i].value path, writing nothing', async () => {
    const { handler, writes, taken, released } = setUp({
      problems: [
        { index: 1, path: '/amount', message: 'must be number' },
        { index: 3, path: '', message: 'must be object' },
      ],
    });

    await expect(
      handler.execute(produce([{}, { amount: 'x' }, {}, 7], { key: 'k1', requestHash: 'h' })),
    ).rejects.toMatchObject({
      status: 422,
      code: 'PRODUCE.SCHEMA_VIOLATION',
      extensions: {
        subject: 'orders-value',
        errors: [
          { field: 'records[1].value/amount', message: 'must be number' },
          { field: 'records[3].value', message: 'must be object' },
        ],
      },
    });
    expect(writes).toEqual([]);
    expect(taken).toEqual([]);
    // Nothing was written, so the Idempotency-Key is free for a corrected retry.
    expect(released).toEqual(['k1']);
  });

  it('takes the produce quota for the records and their bytes before writing', async () => {
    const { handler, taken } = setUp();
    await handler.execute(produce(['ab', 'cd']));
    expect(taken).toEqual([['acme', 'produce', 2, 8]]);
  });

  it('writes a record naming its partition to that partition, whatever its key', async () => {
    const { handler, writes } = setUp();
    const records = [0, 1, 2].map((partition) => ({
      key: 'same-key',
      value: partition,
      partition,
    }));
    const result = await handler.execute(
      new ProduceRecordsCommand('acme', 'ehc_1', 'orders', records, undefined),
    );

    expect(writes[0]?.slice(0, 3).map((r) => r.message.partition)).toEqual([0, 1, 2]);
    expect(result.view.records.map((r) => r.partition)).toEqual([0, 1, 2]);
  });

  it('refuses a partition the topic does not have before anything is written', async () => {
    const { handler, writes } = setUp();
    const command = new ProduceRecordsCommand(
      'acme',
      'ehc_1',
      'orders',
      [{ value: 1, partition: 3 }],
      undefined,
    );

    await expect(handler.execute(command)).rejects.toMatchObject({
      status: 400,
      extensions: { field: 'records[0].partition' },
    });
    expect(writes).toEqual([]);
  });

  it('refuses an unkeyed record for a compacted topic before anything is written', async () => {
    const { handler, writes } = setUp({ topic: { ...TOPIC, cleanupPolicy: 'compact' } });
    const command = new ProduceRecordsCommand(
      'acme',
      'ehc_1',
      'orders',
      [{ key: 'a', value: 1 }, { value: 2 }],
      undefined,
    );

    await expect(handler.execute(command)).rejects.toMatchObject({
      status: 400,
      code: 'PRODUCE.KEY_REQUIRED',
      extensions: { field: 'records[1].key' },
    });
    expect(writes).toEqual([]);
  });

  it('answers 404 for a topic the tenant does not have', async () => {
    const { handler, writes } = setUp();
    await expect(
      handler.execute(
        new ProduceRecordsCommand('acme', 'ehc_1', 'user_events', [{ value: 1 }], undefined),
      ),
    ).rejects.toMatchObject({ status: 404, code: 'TOPIC.NOT_FOUND' });
    expect(writes).toEqual([]);
  });

  it('answers 503 saying nothing was written when the transaction was aborted', async () => {
    const { handler, released } = setUp({
      writeError: new TransactionAbortedError('broker_error'),
    });
    await expect(
      handler.execute(produce([1], { key: 'k2', requestHash: 'h' })),
    ).rejects.toMatchObject({
      status: 503,
      retryAfterSeconds: 5,
      extensions: { reason: 'aborted', written: false },
    });
    expect(released).toEqual(['k2']);
  });
});
