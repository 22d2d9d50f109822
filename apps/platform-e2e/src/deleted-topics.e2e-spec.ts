import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { SCOPES } from '@event-hub/auth';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

interface MonitorHealth {
  status: string;
  consumerLag: number;
  oldestUnindexedAgeMs: number;
}

const ROUNDS = 12;

/**
 * Issue 9 §0: one tenant deleting a topic used to take produce down for every tenant (503
 * PRODUCE.NOT_ACCEPTED until the gateway restarted) and stall the monitor. Here two tenants create
 * and delete topics in a loop while both keep producing to and consuming from a topic they keep.
 */
describe('tenants deleting topics while others produce and consume', () => {
  const run = uniqueName('e2e-del');
  const slug = run.replace(/\./g, '-');
  const platformTopics = {
    commands: `${run}.user_events`,
    replies: `${run}.response_events`,
    usage: `${run}.usage_events`,
  };
  const indexPrefix = `e2e-logs-${slug.slice(slug.lastIndexOf('-') + 1)}`;
  const es = new Elasticsearch({
    node: process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200',
  });
  let db: TestDatabase;
  let gateway: AppProcess;
  let monitor: AppProcess;
  let fallbackDir: string;
  let tenants: TenantCaller[];

  async function call<T = unknown>(
    as: TenantCaller,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: {
        ...as.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  const physical = (tenant: TenantCaller, name: string): string =>
    `tenant.${tenant.tenantId}.${name}`;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_deleted_topics');
    await createTestTopics(Object.values(platformTopics), 3);
    fallbackDir = await mkdtemp(join(tmpdir(), 'e2e-monitor-fallback-'));
    gateway = new AppProcess('gateway', 18200, {
      DATABASE_URL: db.url,
      KAFKA_CLIENT_ID: run,
      GATEWAY_COMMAND_TOPIC: platformTopics.commands,
      GATEWAY_REPLY_TOPIC: platformTopics.replies,
      GATEWAY_REPLY_GROUP_ID: `${run}.replies`,
      GATEWAY_USAGE_TOPIC: platformTopics.usage,
      GATEWAY_TRANSACTIONAL_ID_PREFIX: run,
    }).start();
    monitor = new AppProcess('monitor', 18202, {
      KAFKA_CLIENT_ID: run,
      MONITOR_GROUP_ID: `${run}.monitor`,
      // Only this run's tenant topics, as the monitor would read every tenant's.
      MONITOR_TOPIC_PATTERN: `^tenant\\.${slug}-`,
      MONITOR_INDEX_PREFIX: indexPrefix,
      MONITOR_FALLBACK_DIR: fallbackDir,
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '1000',
      MONITOR_LAG_PROBE_INTERVAL_MS: '500',
    }).start();
    await Promise.all([gateway.waitForHealth(200), monitor.waitForHealth(200)]);
    const adminToken = await tokenFor(gateway.baseUrl, await bootstrapAdmin(db.url));
    tenants = await Promise.all(
      ['acme', 'globex'].map((name) =>
        createTenantCaller(gateway.baseUrl, adminToken, `${slug}-${name}`, [
          SCOPES.eventsProduce,
          SCOPES.eventsConsume,
          SCOPES.topicsAdmin,
        ]),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all([gateway, monitor].map((app) => app?.stop()));
    const tenantTopics = (tenants ?? []).flatMap((t) => [
      physical(t, 'steady'),
      ...Array.from({ length: ROUNDS }, (_, i) => physical(t, `churn.r${i}`)),
    ]);
    await deleteTestTopics([...Object.values(platformTopics), ...tenantTopics]);
    await es.indices
      .delete({ index: `${indexPrefix}-*`, ignore_unavailable: true, allow_no_indices: true })
      .catch(() => undefined);
    await es.indices.deleteIndexTemplate({ name: indexPrefix }).catch(() => undefined);
    await es.close();
    if (fallbackDir) await rm(fallbackDir, { recursive: true, force: true });
    await db?.drop();
  });

  it(`keeps serving the other topics through ${ROUNDS} rounds of topics created and deleted by two tenants, and the monitor indexes every record of them`, async () => {
    for (const tenant of tenants) {
      expect(
        (await call(tenant, 'POST', '/topics', { name: 'steady', partitions: 2 })).status,
      ).toBe(201);
    }

    // Steady traffic of both tenants on the topic they keep, all along.
    const answers: { what: string; status: number }[] = [];
    let producedSteady = 0;
    let stop = false;
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        for (const tenant of tenants) {
          const produced = await call(tenant, 'POST', '/topics/steady/records', {
            records: [{ key: `k-${i}`, value: { i } }],
          });
          answers.push({ what: 'produce', status: produced.status });
          if (produced.status === 200) producedSteady += 1;
          const read = await call(tenant, 'GET', '/topics/steady/records?fromOffset=0&limit=10');
          answers.push({ what: 'consume', status: read.status });
        }
      }
    })();

    try {
      for (let round = 0; round < ROUNDS; round++) {
        const name = `churn.r${round}`;
        for (const tenant of tenants) {
          expect((await call(tenant, 'POST', '/topics', { name, partitions: 2 })).status).toBe(201);
          const produced = await call(tenant, 'POST', `/topics/${name}/records`, {
            records: [{ value: { round } }, { value: { round, second: true } }],
          });
          expect(produced.status).toBe(200);
          const read = await call(tenant, 'GET', `/topics/${name}/records?fromOffset=0`);
          expect(read.status).toBe(200);
        }
        // Every other round the monitor subscribes to them before they go.
        if (round % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 1500));
        for (const tenant of tenants) {
          expect((await call(tenant, 'DELETE', `/topics/${name}`)).status).toBe(204);
        }
      }
    } finally {
      stop = true;
      await traffic;
    }

    const failed = answers.filter((a) => a.status !== 200);
    expect(failed).toEqual([]);
    expect(producedSteady).toBeGreaterThan(0);

    const steadyTopics = tenants.map((t) => physical(t, 'steady'));
    let indexed = -1;
    await waitFor(
      async () => {
        await es.indices.refresh({ index: `${indexPrefix}-*`, allow_no_indices: true });
        const { count } = await es.count({
          index: `${indexPrefix}-*`,
          allow_no_indices: true,
          query: { terms: { topic: steadyTopics } },
        });
        indexed = count;
        return count === producedSteady;
      },
      {
        timeoutMs: 60000,
        intervalMs: 500,
        what: `every record of the kept topics indexed (${producedSteady}, last ${indexed})`,
      },
    );
    const health = await waitFor(
      async () => {
        const { status, body } = await monitor.health();
        const details = body.details['monitor'] as unknown as MonitorHealth;
        return status === 200 && details.consumerLag === 0 ? details : undefined;
      },
      { timeoutMs: 20000, intervalMs: 250, what: 'the monitor to report no lag' },
    );
    expect(health).toMatchObject({ status: 'up', oldestUnindexedAgeMs: 0 });
  });
});
