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
 * returns.
 */
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
  });

  it('answers 503 naming Postgres while it is unreachable, and recovers', async () => {
    postgres.cut();
    const [g, p] = await Promise.all([gateway.waitForHealth(503), processor.waitForHealth(503)]);
    expect(g.error).toMatchObject({ postgres: { status: 'down' } });
    expect(p.error).toMatchObject({ postgres: { status: 'down' } });
    expect(g.details['kafka']).toMatchObject({ status: 'up' });

    postgres.restore();
    await Promise.all([gateway.waitForHealth(200), processor.waitForHealth(200)]);
  });

  it('answers 503 naming Elasticsearch while it is unreachable, and recovers', async () => {
    elasticsearch.cut();
    const report = await monitor.waitForHealth(503);
    expect(report.error).toMatchObject({ elasticsearch: { status: 'down' } });

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
    } finally {
      await devServices.start('kafka');
    }
    await Promise.all([gateway, processor, monitor].map((app) => app.waitForHealth(200)));
  });
});
