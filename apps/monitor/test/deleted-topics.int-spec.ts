import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Producer } from 'kafkajs';
import { ACKS_ALL, createKafkaClient, IDEMPOTENT_PRODUCER } from '@event-hub/kafka';
import { createTestTopics, deleteTestTopics, testBrokers, waitFor } from '@event-hub/testing';
import { MonitorTestbed } from './support/monitor-harness';

interface MonitorHealth {
  status: 'up' | 'down';
  consumerLag: number;
  oldestUnindexedAgeMs: number;
  topics: number;
  fallback: { files: number };
}

interface HealthSample {
  at: number;
  status: number;
  monitor: MonitorHealth;
}

const ROUNDS = 24;
const LAG_PROBE_MS = 300;

describe('monitor: tenants create and delete topics while others keep producing', () => {
  const bed = new MonitorTestbed();
  // A client built like the services' own: the test's producer must not be poisoned either.
  const kafka = createKafkaClient({ brokers: testBrokers(), clientId: 'it' }, 'monitor-deleted');
  let producer: Producer;
  let app: NestFastifyApplication;
  let survivors: string[];

  const health = (): Promise<HealthSample> => healthOf(app);

  let produced = 0;
  const produce = async (
    via: Producer,
    topic: string,
    count: number,
    tag: string,
  ): Promise<void> => {
    await via.send({
      topic,
      acks: ACKS_ALL,
      messages: Array.from({ length: count }, (_, i) => ({ value: JSON.stringify({ tag, i }) })),
    });
  };
  const produceToSurvivors = async (count: number, tag: string): Promise<void> => {
    for (const topic of survivors) await produce(producer, topic, count, tag);
    produced += count * survivors.length;
  };
  /** A producer of its own, so what this test observes is the monitor, not its own client. */
  const produceToDoomed = async (topics: string[], tag: string): Promise<void> => {
    const once = kafka.producer(IDEMPOTENT_PRODUCER);
    await once.connect();
    try {
      for (const topic of topics) await produce(once, topic, 3, tag);
    } finally {
      await once.disconnect();
    }
  };

  beforeAll(async () => {
    await bed.setUp();
    survivors = await bed.createTopics(['steady-1', 'steady-2'], 2);
    producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    app = await bed.startInProcess({
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '500',
      MONITOR_LAG_PROBE_INTERVAL_MS: String(LAG_PROBE_MS),
    });
  });

  afterAll(async () => {
    await producer.disconnect();
    await bed.cleanup();
  });

  it(`indexes every record of the surviving topics through ${ROUNDS} rounds of two tenants' topics created and deleted, and its health never claims a backlog it does not have`, async () => {
    await produceToSurvivors(5, 'warm-up');
    await bed.waitForCount(produced, 'the warm-up records');

    for (let round = 0; round < ROUNDS; round++) {
      const doomed = ['tenant-a', 'tenant-b'].map((tenant) => bed.topic(`${tenant}.t${round}`));
      await createTestTopics(doomed, 2);
      await produceToDoomed(doomed, `doomed-${round}`);
      await produceToSurvivors(4, `round-${round}`);
      // Every third round the monitor has time to subscribe to them before they go.
      if (round % 3 === 0) await sleep(1200);
      await deleteTestTopics(doomed);
    }
    const finishedAt = Date.now();
    await produceToSurvivors(10, 'after');

    // Health is measured from the broker's end offsets: from one probe after the last records were
    // written, a lag of 0 means they were all stored (no fallback here, so indexed).
    await sleep(3 * LAG_PROBE_MS);
    const claims: string[] = [];
    await waitFor(
      async () => {
        const sample = await health();
        const indexed = await bed.count(undefined, survivors);
        if (sample.monitor.consumerLag === 0 && sample.monitor.fallback.files === 0) {
          if (indexed !== produced) {
            claims.push(`lag 0 with ${indexed} of ${produced} records indexed`);
          }
        }
        return indexed === produced;
      },
      {
        timeoutMs: 60000,
        intervalMs: 500,
        what: `every record of the surviving topics to be indexed (${produced})`,
      },
    );
    expect(claims).toEqual([]);

    const settled = await waitFor(
      async () => {
        const sample = await health();
        return sample.status === 200 && sample.monitor.consumerLag === 0 ? sample : undefined;
      },
      { timeoutMs: 20000, intervalMs: 250, what: 'health to report no lag' },
    );
    expect(settled.monitor).toMatchObject({ status: 'up', oldestUnindexedAgeMs: 0, topics: 2 });
    expect(Date.now() - finishedAt).toBeLessThan(60000);
  });
});

describe('monitor: /health measures the backlog from the broker', () => {
  const bed = new MonitorTestbed();

  beforeAll(() => bed.setUp());
  afterAll(() => bed.cleanup());

  it('shows records it is not reading as lag and turns 503 (stalled) once they wait too long', async () => {
    await bed.createTopics(['early'], 1);
    // Topic discovery far off: a topic created now is not read for a minute, a stand-in for a
    // consumer that stopped reading for whatever reason.
    const app = await bed.startInProcess({
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '60000',
      MONITOR_LAG_PROBE_INTERVAL_MS: String(LAG_PROBE_MS),
      MONITOR_MAX_UNINDEXED_AGE_MS: '2000',
    });
    const health = (): Promise<HealthSample> => healthOf(app);
    // Once this is indexed, the one topic listing of the next minute is behind us.
    await bed.produce(bed.topic('early'), [{ value: 'early' }]);
    await bed.waitForCount(1, 'the record of the topic that existed at start');
    const late = bed.topic('late');
    await bed.createTopics(['late'], 2);
    await bed.produce(
      late,
      Array.from({ length: 10 }, (_, i) => ({ value: `late-${i}` })),
    );

    const lagging = await waitFor(
      async () => {
        const sample = await health();
        return sample.monitor.consumerLag === 10 ? sample : undefined;
      },
      { timeoutMs: 10000, intervalMs: 100, what: 'the 10 unread records to show as lag' },
    );
    expect(lagging.monitor.topics).toBe(2);

    const stalled = await waitFor(
      async () => {
        const sample = await health();
        return sample.status === 503 ? sample : undefined;
      },
      { timeoutMs: 10000, intervalMs: 200, what: '/health to answer 503' },
    );
    expect(stalled.monitor).toMatchObject({ status: 'down', stalled: true, consumerLag: 10 });
    expect(stalled.monitor.oldestUnindexedAgeMs).toBeGreaterThan(2000);
  });
});

async function healthOf(app: NestFastifyApplication): Promise<HealthSample> {
  const response = await app.inject({ method: 'GET', url: '/health' });
  const body = response.json<{ details: { monitor: MonitorHealth } }>();
  return { at: Date.now(), status: response.statusCode, monitor: body.details.monitor };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
