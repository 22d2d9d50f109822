import {
  createTestDatabase,
  devServices,
  TcpProxy,
  uniqueName,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';

/**
 * The three services boot from their build against the real engines and report each dependency
 * on /health: 200 when all are up, 503 naming the one that is down, and back to 200 after it
 * returns. /health/ready follows what each needs to serve (the monitor spilling to its fallback
 * directory is ready); /health/live stays 200 through every outage: none is a reason to restart.
 */
const liveness = async (app: AppProcess): Promise<number> =>
  (await app.health('/health/live')).status;

describe('service health against the real dependencies', () => {
  let db: TestDatabase;
  let postgres: TcpProxy;
  let elasticsearch: TcpProxy;
  let gateway: AppProcess;
  let processor: AppProcess;
  let monitor: AppProcess;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_health');
    const dbUrl = new URL(db.url);
    postgres = await new TcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432)).start();
    const esUrl = new URL(process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200');
    elasticsearch = await new TcpProxy(esUrl.hostname, Number(esUrl.port)).start();

    dbUrl.port = String(postgres.port);
    const suffix = uniqueName('e2e-health');
    const env = { DATABASE_URL: dbUrl.toString(), KAFKA_CLIENT_ID: suffix };
    gateway = new AppProcess('gateway', 18100, env).start();
    processor = new AppProcess('processor', 18101, { ...env, PROCESSOR_GROUP_ID: suffix }).start();
    monitor = new AppProcess('monitor', 18102, {
      ...env,
      ELASTICSEARCH_URL: `http://127.0.0.1:${elasticsearch.port}`,
      MONITOR_GROUP_ID: suffix,
      MONITOR_TOPIC_PATTERN: '^$',
      MONITOR_FALLBACK_DIR: `tmp/${suffix}/fallback`,
    }).start();
  });

  afterAll(async () => {
    await Promise.all([gateway, processor, monitor].map((app) => app?.stop()));
    await Promise.all([postgres?.stop(), elasticsearch?.stop()]);
    await db?.drop();
  });

  it('reports every dependency up once booted', async () => {
    const [g, p, m] = await Promise.all([
      gateway.waitForHealth(200),
      processor.waitForHealth(200),
      monitor.waitForHealth(200),
    ]);
    expect(g.details).toMatchObject({ kafka: { status: 'up' }, postgres: { status: 'up' } });
    expect(p.details).toMatchObject({ kafka: { status: 'up' }, postgres: { status: 'up' } });
    expect(m.details).toMatchObject({ kafka: { status: 'up' }, elasticsearch: { status: 'up' } });
    for (const app of [gateway, processor, monitor]) {
      expect((await app.health('/health/ready')).status).toBe(200);
      expect(await liveness(app)).toBe(200);
    }
  });

  it('answers the health routes without a token', async () => {
    for (const route of ['/health', '/health/ready', '/health/live']) {
      const response = await fetch(`${gateway.baseUrl}${route}`);
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
    }
  });

  it('serves each built app’s /metrics without a token, labelled with its service', async () => {
    for (const app of [gateway, processor, monitor]) {
      const response = await fetch(`${app.baseUrl}/metrics`);
      const body = await response.text();
      expect({ app: app.name, status: response.status }).toEqual({ app: app.name, status: 200 });
      expect(body).toMatch(
        new RegExp(`^process_cpu_user_seconds_total\\{service="${app.name}"\\} `, 'm'),
      );
    }
  });

  it('answers 503 naming Postgres while it is unreachable, and recovers', async () => {
    postgres.cut();
    const [g, p] = await Promise.all([gateway.waitForHealth(503), processor.waitForHealth(503)]);
    expect(g.error).toMatchObject({ postgres: { status: 'down' } });
    expect(p.error).toMatchObject({ postgres: { status: 'down' } });
    expect(g.details['kafka']).toMatchObject({ status: 'up' });
    const [gReady, pReady] = await Promise.all([
      gateway.waitForHealth(503, 10000, '/health/ready'),
      processor.waitForHealth(503, 10000, '/health/ready'),
    ]);
    expect(gReady.error).toMatchObject({ postgres: { status: 'down' } });
    expect(pReady.error).toMatchObject({ postgres: { status: 'down' } });
    expect([await liveness(gateway), await liveness(processor)]).toEqual([200, 200]);

    postgres.restore();
    await Promise.all([gateway.waitForHealth(200), processor.waitForHealth(200)]);
  });

  it('answers 503 naming Elasticsearch while it is unreachable, and recovers', async () => {
    elasticsearch.cut();
    const report = await monitor.waitForHealth(503);
    expect(report.error).toMatchObject({ elasticsearch: { status: 'down' } });
    // Spilling to the fallback directory is the monitor doing its job: ready, and alive.
    const ready = await monitor.health('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      kafka: { status: 'up' },
      monitor: { status: 'up' },
    });
    expect(ready.body.details).not.toHaveProperty('elasticsearch');
    expect(await liveness(monitor)).toBe(200);

    elasticsearch.restore();
    await monitor.waitForHealth(200);
  });

  it('answers 503 naming Kafka while the broker is stopped, and recovers when it is back', async () => {
    await devServices.stop('kafka');
    try {
      const reports = await Promise.all(
        [gateway, processor, monitor].map((app) => app.waitForHealth(503)),
      );
      for (const report of reports)
        expect(report.error).toMatchObject({ kafka: { status: 'down' } });
      const ready = await Promise.all(
        [gateway, processor, monitor].map((app) => app.waitForHealth(503, 30000, '/health/ready')),
      );
      for (const report of ready) expect(report.error).toMatchObject({ kafka: { status: 'down' } });
      for (const app of [gateway, processor, monitor]) expect(await liveness(app)).toBe(200);
    } finally {
      await devServices.start('kafka');
    }
    await Promise.all([gateway, processor, monitor].map((app) => app.waitForHealth(200)));
  });
});
