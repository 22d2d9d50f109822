import { SCOPES } from '@event-hub/auth';
import { readCommitted, testKafka, uniqueName, withAdmin } from '@event-hub/testing';
import type { Message, Producer } from 'kafkajs';
import type { TestCaller } from '../support/gateway-harness';
import { TenantProxyFixture, usageOf } from '../topics/support/tenant-proxy';

interface Consumed {
  records: {
    partition: number;
    offset: string;
    timestamp: string;
    key: string | null;
    value: unknown;
    headers: Record<string, string>;
  }[];
  nextOffsets: { partition: number; offset: string }[];
}

describe('consuming records over HTTP against the real Kafka', () => {
  let fx: TenantProxyFixture;
  let acme: TestCaller;
  let globex: TestCaller;
  let producer: Producer;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('consume');
    const scopes = [SCOPES.topicsAdmin, SCOPES.eventsConsume, SCOPES.eventsProduce];
    [acme, globex] = await Promise.all([fx.tenant(scopes), fx.tenant(scopes)]);
    producer = testKafka().producer({
      idempotent: true,
      maxInFlightRequests: 1,
      transactionalId: uniqueName('it.consume.raw'),
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await fx?.close();
  });

  const consume = (caller: TestCaller, topic: string, query: string) =>
    fx.gateway.get(`/topics/${topic}/records?${query}`, caller.headers);

  /** Writes records in one committed transaction (the produce path writes transactions too). */
  async function write(kafkaTopic: string, messages: Message[]): Promise<void> {
    const tx = await producer.transaction();
    await tx.send({ topic: kafkaTopic, messages });
    await tx.commit();
  }

  const json = (i: number, partition = 0, extra: Partial<Message> = {}): Message => ({
    key: `k${i}`,
    value: JSON.stringify({ i }),
    partition,
    headers: { 'trace-id': `t${i}` },
    ...extra,
  });

  describe('from an offset', () => {
    let kafkaTopic: string;
    beforeAll(async () => {
      kafkaTopic = await fx.createTopic(acme, { name: 'offsets', partitions: 2 });
      await write(
        kafkaTopic,
        [0, 1, 2, 3, 4].map((i) => json(i, 0)),
      );
      await write(
        kafkaTopic,
        [10, 11, 12].map((i) => json(i, 1)),
      );
    });

    it('reads from an offset of one partition, limited, and continues from nextOffsets past the transaction markers', async () => {
      const first = await consume(acme, 'offsets', 'fromOffset=0&partition=0&limit=3');
      expect(first.statusCode).toBe(200);
      const page = first.json<Consumed>();
      expect(page.records.map((r) => [r.partition, r.offset, r.value])).toEqual([
        [0, '0', { i: 0 }],
        [0, '1', { i: 1 }],
        [0, '2', { i: 2 }],
      ]);
      expect(page.records[0]).toMatchObject({
        key: 'k0',
        headers: { 'trace-id': 't0' },
      });
      expect(page.nextOffsets).toEqual([{ partition: 0, offset: '3' }]);

      const rest = (await consume(acme, 'offsets', 'fromOffset=0:3')).json<Consumed>();
      expect(rest.records.map((r) => r.value)).toEqual([{ i: 3 }, { i: 4 }]);
      // Offset 5 is the commit marker: the next offset skips it.
      expect(rest.nextOffsets).toEqual([{ partition: 0, offset: '6' }]);

      const end = (await consume(acme, 'offsets', 'fromOffset=0:6')).json<Consumed>();
      expect(end).toEqual({ records: [], nextOffsets: [{ partition: 0, offset: '6' }] });
    });

    it('reads per-partition offsets, only the partitions listed', async () => {
      const page = (await consume(acme, 'offsets', 'fromOffset=0:4,1:1')).json<Consumed>();
      expect(page.records.map((r) => [r.partition, r.value]).sort()).toEqual(
        [
          [0, { i: 4 }],
          [1, { i: 11 }],
          [1, { i: 12 }],
        ].sort(),
      );
      expect(page.nextOffsets).toEqual([
        { partition: 0, offset: '6' },
        { partition: 1, offset: '4' },
      ]);
    });

    it('reads every partition from the earliest record when no position is given', async () => {
      const page = (await consume(acme, 'offsets', 'limit=1000')).json<Consumed>();
      expect(page.records).toHaveLength(8);
    });

    it('meters what it delivered, billed to the consuming client', async () => {
      // key + value + header of records 10, 11 and 12: a byte count no other read here has
      const bytes = 3 * ('k10'.length + JSON.stringify({ i: 10 }).length + 'trace-id'.length + 3);
      const isOurs = (u: ReturnType<typeof usageOf>) =>
        u.data.action === 'consume' && u.data.messages === 3 && u.data.bytes === bytes;
      const response = await consume(acme, 'offsets', 'fromOffset=1:0&partition=1');
      expect(response.json<Consumed>().records).toHaveLength(3);
      const usage = await readCommitted([fx.usageTopic], (all) => all.map(usageOf).some(isOurs));
      expect(usage.map(usageOf).filter(isOurs)).toEqual([
        expect.objectContaining({
          tenantId: acme.tenantId,
          data: expect.objectContaining({
            tenant: acme.tenantId,
            topic: 'offsets',
            clientId: acme.clientId,
          }) as unknown,
        }),
      ]);
    });

    it('refuses bad positions naming the field, and an offset past the end with its range', async () => {
      const bad = await consume(acme, 'offsets', 'fromOffset=abc');
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('query.fromOffset');

      const pastEnd = await consume(acme, 'offsets', 'fromOffset=1:99');
      expect(pastEnd.statusCode).toBe(400);
      expect(pastEnd.json()).toMatchObject({
        code: 'CONSUME.INVALID_POSITION',
        range: { partition: 1, low: '0', high: '4' },
      });

      const two = await consume(acme, 'offsets', 'fromOffset=1&group=g');
      expect(two.statusCode).toBe(400);
    });

    it('answers 403 when clientId names another client than the token’s', async () => {
      const response = await consume(acme, 'offsets', `clientId=someone-else`);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'CONSUME.CLIENT_ID_MISMATCH' });
      expect((await consume(acme, 'offsets', `clientId=${acme.clientId}`)).statusCode).toBe(200);
    });

    it('answers 404 for another tenant’s topic, by its name or its Kafka name', async () => {
      for (const name of ['offsets', encodeURIComponent(kafkaTopic), '__consumer_offsets']) {
        const response = await consume(globex, name, 'fromOffset=0');
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ code: 'TOPIC.NOT_FOUND' });
      }
    });
  });

  it('answers JSON embedding each value stored as UTF-8 JSON as it is, anything else as a string', async () => {
    const kafkaTopic = await fx.createTopic(acme, { name: 'stored-json', partitions: 1 });
    const stored = '{"amount":1.50,"big":18446744073709551616}';
    await write(kafkaTopic, [
      { value: stored, partition: 0 },
      { value: 'not json', partition: 0 },
      { value: Buffer.from([0x22, 0xff, 0x22]), partition: 0 }, // would parse, but is not UTF-8
    ]);

    const answer = await consume(acme, 'stored-json', 'fromOffset=0');

    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.body).toContain(`"value":${stored},`);
    expect(answer.json<Consumed>().records.map((r) => r.value)).toEqual([
      { amount: 1.5, big: 2 ** 64 },
      'not json',
      '\ufffd',
    ]);
  });

  it('delivers every record exactly once to a client continuing at nextOffsets in small pages, even when another read jumps elsewhere between', async () => {
    const kafkaTopic = await fx.createTopic(acme, { name: 'pages', partitions: 2 });
    for (let t = 0; t < 5; t++) {
      await write(
        kafkaTopic,
        Array.from({ length: 10 }, (_, i) => json(t * 10 + i, i % 2)),
      );
    }
    const seen: number[] = [];
    let from = '0:0,1:0';
    for (let page = 0; page < 30; page++) {
      const body = (await consume(acme, 'pages', `fromOffset=${from}&limit=7`)).json<Consumed>();
      if (body.records.length === 0) break;
      seen.push(...body.records.map((r) => (r.value as { i: number }).i));
      from = body.nextOffsets.map((o) => `${o.partition}:${o.offset}`).join(',');
      // Another client reading from the start in between must not disturb this one.
      if (page % 3 === 1) await consume(acme, 'pages', 'fromOffset=0&limit=2');
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('never returns records of aborted transactions, and continues past them', async () => {
    const kafkaTopic = await fx.createTopic(acme, { name: 'aborts', partitions: 1 });
    const aborted = await producer.transaction();
    await aborted.send({ topic: kafkaTopic, messages: [json(1), json(2)] });
    await aborted.abort();
    await write(kafkaTopic, [json(3)]);

    const page = (await consume(acme, 'aborts', 'fromOffset=0')).json<Consumed>();
    // offsets 0-1 aborted, 2 abort marker, 3 the record, 4 its commit marker
    expect(page.records.map((r) => [r.offset, r.value])).toEqual([['3', { i: 3 }]]);
    expect(page.nextOffsets).toEqual([{ partition: 0, offset: '5' }]);
  });

  it('reads from a time with Kafka’s offset-for-time lookup', async () => {
    const kafkaTopic = await fx.createTopic(acme, { name: 'times', partitions: 2 });
    const instant = Date.now() - 60 * 60 * 1000;
    const at = (offsetMs: number) => ({ timestamp: String(instant + offsetMs) });
    await write(kafkaTopic, [
      json(1, 0, at(-60_000)),
      json(2, 1, at(-1)),
      json(3, 0, at(0)),
      json(4, 1, at(30_000)),
    ]);

    const page = (
      await consume(acme, 'times', `fromTime=${new Date(instant).toISOString()}`)
    ).json<Consumed>();
    expect(
      page.records
        .map((r) => r.value)
        .sort((a, b) => (a as { i: number }).i - (b as { i: number }).i),
    ).toEqual([{ i: 3 }, { i: 4 }]);
    expect(page.records.find((r) => (r.value as { i: number }).i === 3)?.timestamp).toBe(
      new Date(instant).toISOString(),
    );

    const future = (
      await consume(acme, 'times', `fromTime=${new Date(Date.now() + 60_000).toISOString()}`)
    ).json<Consumed>();
    expect(future.records).toEqual([]);
  });

  describe('by named group', () => {
    it('starts at the earliest, then at the committed offsets, and continues', async () => {
      const kafkaTopic = await fx.createTopic(acme, { name: 'grouped', partitions: 2 });
      await write(kafkaTopic, [json(1, 0), json(2, 1)]);

      const first = (await consume(acme, 'grouped', 'group=billing')).json<Consumed>();
      expect(first.records.map((r) => r.value)).toHaveLength(2);
      // Reading does not commit.
      const again = (await consume(acme, 'grouped', 'group=billing')).json<Consumed>();
      expect(again.records).toHaveLength(2);

      const commit = await fx.gateway.post(
        '/topics/grouped/offsets',
        { group: 'billing', offsets: first.nextOffsets },
        acme.headers,
      );
      expect(commit.statusCode).toBe(200);
      expect((await consume(acme, 'grouped', 'group=billing')).json<Consumed>().records).toEqual(
        [],
      );

      await write(kafkaTopic, [json(3, 1)]);
      const next = (await consume(acme, 'grouped', 'group=billing')).json<Consumed>();
      expect(next.records.map((r) => r.value)).toEqual([{ i: 3 }]);

      // The group is the tenant's own in Kafka.
      const committed = await withAdmin((admin) =>
        admin.fetchOffsets({ groupId: `tenant.${acme.tenantId}.billing`, topics: [kafkaTopic] }),
      );
      expect(committed[0]?.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(
        first.nextOffsets.map((o) => [o.partition, o.offset]).sort(),
      );
    });

    it('keeps another tenant’s group of the same name apart', async () => {
      const acmeTopic = await fx.createTopic(acme, { name: 'shared-name', partitions: 1 });
      const globexTopic = await fx.createTopic(globex, { name: 'shared-name', partitions: 1 });
      await write(acmeTopic, [json(1), json(2)]);
      await write(globexTopic, [json(7)]);

      const ours = (await consume(acme, 'shared-name', 'group=workers')).json<Consumed>();
      await fx.gateway.post(
        '/topics/shared-name/offsets',
        { group: 'workers', offsets: ours.nextOffsets },
        acme.headers,
      );

      const theirs = (await consume(globex, 'shared-name', 'group=workers')).json<Consumed>();
      expect(theirs.records.map((r) => r.value)).toEqual([{ i: 7 }]);
      const groups = await withAdmin((admin) => admin.listGroups());
      expect(groups.groups.map((g) => g.groupId)).not.toContain(
        `tenant.${globex.tenantId}.workers`,
      );
    });

    it('refuses to commit past the end of a partition or to an unknown partition', async () => {
      await fx.createTopic(acme, { name: 'commits', partitions: 1 });
      const past = await fx.gateway.post(
        '/topics/commits/offsets',
        { group: 'g', offsets: [{ partition: 0, offset: '5' }] },
        acme.headers,
      );
      expect(past.statusCode).toBe(400);
      const unknown = await fx.gateway.post(
        '/topics/commits/offsets',
        { group: 'g', offsets: [{ partition: 3, offset: '0' }] },
        acme.headers,
      );
      expect(unknown.statusCode).toBe(400);
      const invalid = await fx.gateway.post(
        '/topics/commits/offsets',
        { group: '../x', offsets: [] },
        acme.headers,
      );
      expect(invalid.statusCode).toBe(400);
    });
  });

  describe('long poll', () => {
    let kafkaTopic: string;
    beforeAll(async () => {
      kafkaTopic = await fx.createTopic(acme, { name: 'polled', partitions: 1 });
    });

    it('answers as soon as a record arrives', async () => {
      const started = Date.now();
      const pending = consume(acme, 'polled', 'fromOffset=0&maxWaitMs=20000');
      await write(kafkaTopic, [json(1)]);
      const response = await pending;
      expect(response.json<Consumed>().records.map((r) => r.value)).toEqual([{ i: 1 }]);
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    it('answers an empty list after maxWaitMs when nothing arrives', async () => {
      const end = (await consume(acme, 'polled', 'fromOffset=0')).json<Consumed>().nextOffsets;
      const started = Date.now();
      const response = await consume(
        acme,
        'polled',
        `fromOffset=0:${end[0]?.offset}&maxWaitMs=300`,
      );
      expect(response.json<Consumed>()).toEqual({ records: [], nextOffsets: end });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    });
  });

  it('bounds a read by the leased share of the consume quota, then answers 429 with Retry-After', async () => {
    const limited = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsConsume], {
      consumeRecordsPerSecond: 2,
    });
    const kafkaTopic = await fx.createTopic(limited, { name: 'quota', partitions: 1 });
    await write(kafkaTopic, [json(1), json(2), json(3), json(4), json(5)]);

    // A read holds at most what the gateway leased: a tenth of a second's quota, at least a record.
    const first = await consume(limited, 'quota', 'fromOffset=0&limit=100');
    expect(first.json<Consumed>().records).toHaveLength(1);
    const second = await consume(limited, 'quota', 'fromOffset=0:1&limit=100');
    expect(second.json<Consumed>().records).toHaveLength(1);
    const refused = await consume(limited, 'quota', 'fromOffset=0:2&limit=100');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({
      code: 'QUOTA.EXCEEDED',
      quota: { direction: 'consume', unit: 'records', perSecond: 2 },
    });
    const metrics = await fx.gateway.get('/metrics');
    expect(metrics.body).toMatch(
      /gateway_quota_throttled_requests_total\{direction="consume"[^}]*\} [1-9]/,
    );
  });
});
