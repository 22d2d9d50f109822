import { SCOPES } from '@event-hub/auth';
import type { LightMyRequestResponse } from 'fastify';
import { TenantProxyFixture } from '../topics/support/tenant-proxy';

describe('rate quotas over HTTP against the real Kafka and Postgres', () => {
  let fx: TenantProxyFixture;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('quotas');
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('answers produce 429 with Retry-After once the tenant’s records/s quota is used up', async () => {
    const limited = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce], {
      produceRecordsPerSecond: 1,
    });
    await fx.createTopic(limited, { name: 'paced', partitions: 1 });
    const batch = { records: [{ value: { n: 1 } }, { value: { n: 2 } }] };

    // A batch of 2 fits a full bucket of 1 (oversized requests overdraw it), then the tenant
    // waits the debt off: within a few requests one must be refused.
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 5 && !answers.some((a) => a.statusCode === 429); i++) {
      answers.push(await fx.gateway.post('/topics/paced/records', batch, limited.headers));
    }
    expect(answers[0]?.statusCode).toBe(200);
    const refused = answers.find((a) => a.statusCode === 429);
    expect(refused?.json()).toMatchObject({
      code: 'QUOTA.EXCEEDED',
      quota: { direction: 'produce', unit: 'records', perSecond: 1 },
    });
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('answers consume 429 naming the bytes quota when the answer would not fit', async () => {
    const limited = await fx.tenant(
      [SCOPES.topicsAdmin, SCOPES.eventsProduce, SCOPES.eventsConsume],
      { consumeBytesPerSecond: 100 },
    );
    await fx.createTopic(limited, { name: 'heavy', partitions: 1 });
    const value = { text: 'x'.repeat(300) };
    const produced = await fx.gateway.post(
      '/topics/heavy/records',
      { records: [{ value }, { value }] },
      limited.headers,
    );
    expect(produced.statusCode).toBe(200);

    // The first record always goes (it overdraws the 100 bytes), then nothing fits.
    const first = await fx.gateway.get('/topics/heavy/records?fromOffset=0', limited.headers);
    expect(first.json<{ records: unknown[] }>().records).toHaveLength(1);
    const refused = await fx.gateway.get('/topics/heavy/records?fromOffset=1', limited.headers);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'QUOTA.EXCEEDED',
      quota: { direction: 'consume', unit: 'bytes', perSecond: 100 },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(2);
  });
});
