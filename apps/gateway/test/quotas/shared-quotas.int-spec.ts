import { SCOPES } from '@event-hub/auth';
import { readCommitted, TcpProxy, uniqueName, waitFor } from '@event-hub/testing';
import type { LightMyRequestResponse } from 'fastify';
import { TestGateway, type TestCaller } from '../support/gateway-harness';
import { TenantProxyFixture } from '../topics/support/tenant-proxy';

const QUOTA = 10; // records/s
const RUN_MS = 3000;
const BATCH = 2; // records per request

/** A second gateway instance on the fixture's database and topics, with its own Postgres address. */
function secondGateway(
  fx: TenantProxyFixture,
  databaseUrl = fx.db.url,
  extra: Record<string, string> = {},
): Promise<TestGateway> {
  return TestGateway.start(
    TestGateway.env(databaseUrl, fx.topics, {
      GATEWAY_USAGE_TOPIC: fx.usageTopic,
      GATEWAY_TRANSACTIONAL_ID_PREFIX: uniqueName('it.shared-quotas.tx'),
      ...extra,
    }),
  );
}

const produce = (gateway: TestGateway, caller: TestCaller, topic: string, records = 1) =>
  gateway.post(
    `/topics/${topic}/records`,
    { records: Array.from({ length: records }, (_, n) => ({ value: { n } })) },
    caller.headers,
  );

describe('rate quotas shared by two gateways on one Postgres', () => {
  let fx: TenantProxyFixture;
  let second: TestGateway;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('shared-quotas');
    second = await secondGateway(fx);
  });

  afterAll(async () => {
    await second?.close();
    await fx?.close();
  });

  it('admits at most the quota per second in total, however the requests are spread', async () => {
    const tenant = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce], {
      produceRecordsPerSecond: QUOTA,
    });
    const kafkaTopic = await fx.createTopic(tenant, { name: 'metered', partitions: 1 });
    const gateways = [fx.gateway, second];
    const admitted = [0, 0];
    let refused = 0;

    // Six clients, three on each gateway, each sending as fast as it is answered: several times
    // the quota, more than two per-instance quotas would admit.
    const started = Date.now();
    await Promise.all(
      [0, 1, 0, 1, 0, 1].map(async (g) => {
        while (Date.now() - started < RUN_MS) {
          const answer = await produce(gateways[g] as TestGateway, tenant, 'metered', BATCH);
          if (answer.statusCode === 200) admitted[g] = (admitted[g] ?? 0) + BATCH;
          else if (answer.statusCode === 429) {
            refused++;
            expect(answer.json()).toMatchObject({
              code: 'QUOTA.EXCEEDED',
              quota: { direction: 'produce', unit: 'records', perSecond: QUOTA },
            });
            await new Promise((resolve) => setTimeout(resolve, 5));
          } else throw new Error(`unexpected ${answer.statusCode}: ${answer.body}`);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const total = (admitted[0] ?? 0) + (admitted[1] ?? 0);
    // One-second windows: T seconds touch at most ceil(T) + 1 of them, each granting the quota once.
    const bound = QUOTA * (Math.ceil(seconds) + 1);
    console.log(
      `shared quota ${QUOTA}/s over ${seconds.toFixed(2)} s: admitted ${admitted.join(' + ')} = ` +
        `${total} (bound ${bound}), refused ${refused}`,
    );
    expect(total).toBeLessThanOrEqual(bound);
    // The quota is used, not refused wholesale: both gateways admit, most of each second goes.
    expect(admitted.every((n) => n > 0)).toBe(true);
    expect(total).toBeGreaterThanOrEqual(QUOTA * Math.floor(seconds) * 0.6);
    const written = await readCommitted([kafkaTopic], (records) => records.length >= total);
    expect(written).toHaveLength(total);
  });
});

describe('shared rate quotas while Postgres is unreachable', () => {
  let fx: TenantProxyFixture;
  let proxy: TcpProxy;
  let viaProxy: TestGateway[] = [];

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('quotas-pg-down');
    const target = new URL(fx.db.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const url = new URL(fx.db.url);
    url.port = String(proxy.port);
    // Topics are looked up once and then served from the cache while Postgres is away.
    const extra = { GATEWAY_TOPIC_CACHE_TTL_MS: '600000' };
    viaProxy = await Promise.all([
      secondGateway(fx, url.toString(), extra),
      secondGateway(fx, url.toString(), extra),
    ]);
  });

  afterAll(async () => {
    await Promise.all(viaProxy.map((gateway) => gateway.close()));
    await proxy?.stop();
    await fx?.close();
  });

  it('falls back to the quota per gateway (never unlimited) and shares it again once Postgres is back', async () => {
    const [a, b] = viaProxy as [TestGateway, TestGateway];
    const tenant = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce], {
      produceRecordsPerSecond: 10,
    });
    await fx.createTopic(tenant, { name: 'outage', partitions: 1 });
    // Warm both gateways' caches (client, topic, limits) and wait out that window.
    for (const gateway of [a, b])
      expect((await produce(gateway, tenant, 'outage')).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    proxy.cut();
    const expectRefused = (answer: LightMyRequestResponse) => {
      expect(answer.statusCode).toBe(429);
      expect(answer.json()).toMatchObject({ code: 'QUOTA.EXCEEDED' });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    };
    // Each gateway grants the whole quota on its own, and refuses beyond it.
    expect((await produce(a, tenant, 'outage', 10)).statusCode).toBe(200);
    expectRefused(await produce(a, tenant, 'outage'));
    expect((await produce(b, tenant, 'outage', 10)).statusCode).toBe(200);
    expectRefused(await produce(b, tenant, 'outage'));
    // One fallback per gateway; both run in this process and share its default registry, so a's
    // /metrics shows the two of them.
    expect((await a.get('/metrics', tenant.headers)).body).toMatch(
      /gateway_quota_ledger_fallbacks_total\{[^}]*\} 2\b/,
    );

    proxy.restore();
    // Shared again: a second's whole quota taken through one gateway leaves none for the other.
    await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1100));
        if ((await produce(a, tenant, 'outage', 10)).statusCode !== 200) return false;
        return (await produce(b, tenant, 'outage')).statusCode === 429;
      },
      { timeoutMs: 20000, intervalMs: 0, what: 'the quota to be shared again' },
    );
  });
});
