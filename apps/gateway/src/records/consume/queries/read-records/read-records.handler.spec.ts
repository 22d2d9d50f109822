import type { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../../../config/gateway.environment';
import type { RateQuotas } from '../../../../quotas/rate-quotas';
import type { TenantTopicDirectory } from '../../../../topics/tenant-topic-directory';
import type { UsageMeter } from '../../../../usage/usage-meter';
import type { ConsumeMetrics } from '../../shared/consume.metrics';
import type { KafkaOffsets } from '../../shared/kafka-offsets';
import type { ReadRequest, ReadResult } from '../../shared/topic-reader';
import type { TopicReaders } from '../../shared/topic-readers';
import { ReadRecordsHandler } from './read-records.handler';
import { ReadRecordsQuery } from './read-records.query';

const topic = {
  tenantId: 'acme',
  name: 'orders',
  physicalName: 'tenant.acme.orders',
  partitions: 1,
  valueSubject: null,
};

function setup(
  options: {
    meterFails?: boolean;
    headroom?: number;
    freshHigh?: bigint;
    /** Metering acknowledges when this settles (at once otherwise). */
    meterAck?: Promise<void>;
  } = {},
) {
  const reads: ReadRequest[] = [];
  const charged: unknown[][] = [];
  const metered: unknown[] = [];
  const record = {
    partition: 0,
    offset: '3',
    timestamp: '1767225600000',
    key: Buffer.from('k'),
    value: Buffer.from('{"a":1}'),
    headers: { h: Buffer.from('v') },
    bytes: 10,
  };
  const noop = { inc: () => undefined, observe: () => undefined };
  const handler = new ReadRecordsHandler(
    {
      find: async (t: string, n: string) => (t === 'acme' && n === 'orders' ? topic : undefined),
    } as unknown as TenantTopicDirectory,
    {
      // Recent watermarks (maxAgeMs > 0) may lag behind fresh ones.
      watermarks: async (_: string, maxAgeMs = 0) => [
        { partition: 0, low: 0n, high: maxAgeMs > 0 ? 5n : (options.freshHigh ?? 5n) },
      ],
    } as unknown as KafkaOffsets,
    {
      read: async (_: string, request: ReadRequest): Promise<ReadResult> => {
        reads.push(request);
        return { records: [record], next: new Map([[0, '4']]) };
      },
    } as unknown as TopicReaders,
    {
      ready: async () => undefined,
      headroom: () => ({ records: options.headroom ?? 1000, bytes: 1e6 }),
      charge: (...args: unknown[]) => void charged.push(args),
    } as unknown as RateQuotas,
    {
      meterConsumption: async (usage: unknown) => {
        if (options.meterFails) throw new Error('usage topic unavailable');
        metered.push(usage);
        await options.meterAck;
      },
    } as unknown as UsageMeter,
    { requests: noop, records: noop, bytes: noop, seconds: noop } as unknown as ConsumeMetrics,
    { get: () => 4 * 1024 * 1024 } as unknown as ConfigService<GatewayEnvironment, true>,
  );
  return { handler, reads, charged, metered };
}

const query = (limit = 100, name = 'orders') =>
  new ReadRecordsQuery('acme', 'ehc_1', name, { kind: 'offset', offset: 3n }, undefined, limit, 0);

describe('ReadRecordsHandler', () => {
  it('meters and charges what it delivers, then answers it with the next offsets', async () => {
    const { handler, charged, metered } = setup();
    const answer = await handler.execute(query());
    expect(answer.nextOffsets).toEqual([{ partition: 0, offset: '4' }]);
    expect(JSON.parse(answer.json.toString('utf8'))).toEqual({
      records: [
        {
          partition: 0,
          offset: '3',
          timestamp: '2026-01-01T00:00:00.000Z',
          key: 'k',
          value: { a: 1 },
          headers: { h: 'v' },
        },
      ],
      nextOffsets: [{ partition: 0, offset: '4' }],
    });
    expect(charged).toEqual([['acme', 'consume', 1, 10]]);
    expect(metered).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        topic: 'orders',
        clientId: 'ehc_1',
        messages: 1,
        bytes: 10,
      }),
    ]);
  });

  it('answers 503 and delivers nothing when the usage cannot be metered', async () => {
    const { handler } = setup({ meterFails: true });
    await expect(handler.execute(query())).rejects.toMatchObject({
      status: 503,
      code: 'CONSUME.METERING_UNAVAILABLE',
    });
  });

  it('answers only once the usage event is acknowledged', async () => {
    let acknowledge = (): void => undefined;
    const meterAck = new Promise<void>((resolve) => (acknowledge = resolve));
    const { handler, metered } = setup({ meterAck });
    let answered = false;
    const answer = handler.execute(query()).then((written) => {
      answered = true;
      return written;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(metered).toHaveLength(1);
    expect(answered).toBe(false);
    acknowledge();
    expect((await answer).records).toHaveLength(1);
  });

  it('reads no more records than the consume quota has room for', async () => {
    const { handler, reads } = setup({ headroom: 7 });
    await handler.execute(query(100));
    expect(reads[0]?.limit).toBe(7);
  });

  it('answers 404 for a topic the tenant does not have', async () => {
    const { handler, reads } = setup();
    await expect(handler.execute(query(100, 'payments'))).rejects.toMatchObject({
      status: 404,
      code: 'TOPIC.NOT_FOUND',
    });
    expect(reads).toEqual([]);
  });

  it('asks for fresh watermarks before refusing an offset past the recent end', async () => {
    const { handler, reads } = setup({ freshHigh: 9n });
    await handler.execute(
      new ReadRecordsQuery(
        'acme',
        'ehc_1',
        'orders',
        { kind: 'offset', offset: 8n },
        undefined,
        10,
        0,
      ),
    );
    expect(reads[0]?.positions).toEqual(new Map([[0, '8']]));
  });

  it('asks for fresh watermarks before answering empty without reading', async () => {
    const { handler, reads } = setup({ freshHigh: 9n });
    await handler.execute(
      new ReadRecordsQuery(
        'acme',
        'ehc_1',
        'orders',
        { kind: 'offset', offset: 5n },
        undefined,
        10,
        0,
      ),
    );
    expect(reads[0]?.positions).toEqual(new Map([[0, '5']]));
  });
});
