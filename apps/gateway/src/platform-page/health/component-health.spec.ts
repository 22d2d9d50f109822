import {
  aggregatePlatformHealth,
  isHealthReport,
  type AppProbe,
  type HealthEntry,
  type PlatformProbes,
} from './component-health';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const up: HealthEntry = { status: 'up' };
const report = (details: Record<string, HealthEntry>): AppProbe => ({
  reachable: true,
  report: {
    status: Object.values(details).every((e) => e.status === 'up') ? 'ok' : 'error',
    details,
  },
});
const unreachable = (error: string): AppProbe => ({ reachable: false, error });

/** Every app answering with every entry up, RabbitMQ answering the handshake. */
const healthy = (): PlatformProbes => ({
  gateway: report({ kafka: up, postgres: up }),
  processor: report({ kafka: up, postgres: up, consumer: up }),
  monitor: report({ kafka: up, elasticsearch: up, monitor: up }),
  rabbitmq: { configured: true, up: true },
});

const stateOf = (probes: PlatformProbes) =>
  Object.fromEntries(aggregatePlatformHealth(probes, NOW).components.map((c) => [c.name, c.state]));

describe('the platform health from what each component reports', () => {
  it('is ok with every app and dependency up, listing each of them', () => {
    const health = aggregatePlatformHealth(healthy(), NOW);
    expect(health).toEqual({
      status: 'ok',
      checkedAt: '2026-12-06T12:00:00.000Z',
      components: [
        { name: 'gateway', kind: 'app', state: 'up' },
        { name: 'processor', kind: 'app', state: 'up' },
        { name: 'monitor', kind: 'app', state: 'up' },
        { name: 'Kafka', kind: 'broker', state: 'up' },
        { name: 'Postgres', kind: 'database', state: 'up' },
        { name: 'Elasticsearch', kind: 'search', state: 'up' },
        { name: 'RabbitMQ', kind: 'broker', state: 'up' },
      ],
    });
  });

  it('shows an app that does not answer as down, with why', () => {
    const probes = { ...healthy(), processor: unreachable('connect ECONNREFUSED 127.0.0.1:8001') };
    const health = aggregatePlatformHealth(probes, NOW);
    expect(health.status).toBe('degraded');
    expect(health.components).toContainEqual({
      name: 'processor',
      kind: 'app',
      state: 'down',
      detail: 'connect ECONNREFUSED 127.0.0.1:8001',
    });
    // The other apps still see Postgres up: one silent app does not make its dependencies unknown.
    expect(stateOf(probes)['Postgres']).toBe('up');
  });

  it('shows a dependency down as soon as one app sees it down, naming the app and its message', () => {
    const probes = {
      ...healthy(),
      processor: report({
        kafka: up,
        postgres: { status: 'down', message: 'timeout of 1500ms exceeded' },
        consumer: up,
      }),
    };
    const health = aggregatePlatformHealth(probes, NOW);
    expect(health.components).toContainEqual({
      name: 'Postgres',
      kind: 'database',
      state: 'down',
      detail: 'processor: timeout of 1500ms exceeded',
    });
    // The app answering with an entry down is running: degraded, not down.
    expect(health.components).toContainEqual({
      name: 'processor',
      kind: 'app',
      state: 'degraded',
      detail: 'postgres down',
    });
  });

  it('marks Elasticsearch unknown when the monitor, the only app checking it, does not answer', () => {
    const probes = { ...healthy(), monitor: unreachable('GET /health did not answer in time') };
    expect(stateOf(probes)).toMatchObject({
      monitor: 'down',
      Elasticsearch: 'unknown',
      Kafka: 'up',
    });
  });

  it('shows RabbitMQ as not configured without degrading the platform, and down when it fails', () => {
    const notConfigured = aggregatePlatformHealth(
      { ...healthy(), rabbitmq: { configured: false } },
      NOW,
    );
    expect(notConfigured.status).toBe('ok');
    expect(notConfigured.components).toContainEqual({
      name: 'RabbitMQ',
      kind: 'broker',
      state: 'not-configured',
      detail: 'PLATFORM_RABBITMQ_URL is empty',
    });
    const down = aggregatePlatformHealth(
      { ...healthy(), rabbitmq: { configured: true, up: false, error: 'connect ECONNREFUSED' } },
      NOW,
    );
    expect(down.status).toBe('degraded');
    expect(down.components).toContainEqual({
      name: 'RabbitMQ',
      kind: 'broker',
      state: 'down',
      detail: 'connect ECONNREFUSED',
    });
  });

  it('keeps details short, whatever an app put in its message', () => {
    const probes = {
      ...healthy(),
      gateway: report({ kafka: { status: 'down', message: 'x'.repeat(5000) }, postgres: up }),
    };
    const kafka = aggregatePlatformHealth(probes, NOW).components.find((c) => c.name === 'Kafka');
    expect(kafka?.detail).toHaveLength(200);
  });
});

describe('recognizing a health report', () => {
  it('accepts what terminus answers, with 200 or 503', () => {
    expect(isHealthReport({ status: 'error', details: { kafka: { status: 'down' } } })).toBe(true);
  });

  it.each([null, 'ok', { status: 'ok' }, { status: 'ok', details: { kafka: 'up' } }])(
    'refuses %j',
    (body) => expect(isHealthReport(body)).toBe(false),
  );
});
