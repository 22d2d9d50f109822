import { TcpProxy, waitFor } from '@event-hub/testing';
import { elasticsearchUrl, MonitorTestbed } from './support/monitor-harness';

const RECORDS = 10000;

interface Health {
  status: string;
  details: Record<string, Record<string, unknown>>;
}

function records(count: number, label: string, padding = 100): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `k${i % 97}`,
    value: JSON.stringify({ label, i, note: 'n'.repeat(padding) }),
  }));
}

async function proxyToElasticsearch(): Promise<TcpProxy> {
  const target = new URL(elasticsearchUrl());
  return new TcpProxy(target.hostname, Number(target.port || 9200)).start();
}

describe('monitor: file fallback while Elasticsearch is unavailable, and replay', () => {
  it('spills 10,000 records to disk while Elasticsearch is unreachable, then replays exactly 10,000 and empties the directory', async () => {
    const bed = await new MonitorTestbed().setUp();
    const proxy = await proxyToElasticsearch();
    try {
      const [topic] = (await bed.createTopics(['spill'], 3)) as [string];
      const app = await bed.startInProcess({ ELASTICSEARCH_URL: `http://127.0.0.1:${proxy.port}` });
      const health = async (): Promise<{ status: number; body: Health }> => {
        const response = await app.inject({ method: 'GET', url: '/health' });
        return { status: response.statusCode, body: response.json<Health>() };
      };
      await bed.produce(topic, [{ key: 'warm-up', value: '{"warmUp":true}' }]);
      await bed.waitForCount(1, 'the warm-up record, indexed directly');

      proxy.cut();
      await bed.produce(topic, records(RECORDS, 'spilled'));
      // Committed = durably in the fallback files (fsync'd), since Elasticsearch had none of them.
      await waitFor(() => bed.committedEverything(), {
        timeoutMs: 60000,
        what: 'every record to be spilled and committed',
      });

      expect(await bed.count()).toBe(1);
      expect((await bed.fallbackFiles()).length).toBeGreaterThan(0);
      const spilling = await health();
      expect(spilling.status).toBe(503);
      expect(spilling.body.details['elasticsearch']).toMatchObject({ status: 'down' });
      expect(spilling.body.details['kafka']).toMatchObject({ status: 'up' });
      expect(spilling.body.details['monitor']).toMatchObject({
        status: 'up',
        mode: 'spilling',
        elasticsearchWritable: false,
        paused: false,
        fallback: { files: expect.any(Number), bytes: expect.any(Number) },
      });
      const monitor = spilling.body.details['monitor'] as {
        fallback: { bytes: number };
        oldestUnindexedAgeMs: number;
      };
      expect(monitor.fallback.bytes).toBeGreaterThan(RECORDS * 100);
      expect(monitor.oldestUnindexedAgeMs).toBeGreaterThan(0);
      // Spilling is the monitor doing its job: ready (and alive), only the report says 503.
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

      proxy.restore();
      await bed.waitForCount(RECORDS + 1, 'the replay', 90000);
      await waitFor(async () => (await bed.fallbackFiles()).length === 0, {
        what: 'the fallback directory to empty',
      });

      const recovered = await health();
      expect(recovered.status).toBe(200);
      expect(recovered.body.details['monitor']).toMatchObject({
        mode: 'direct',
        fallback: { bytes: 0, files: 0 },
      });
      await bed.stopInProcess(app);
    } finally {
      await proxy.stop();
      await bed.cleanup();
    }
  });

  it('pauses consumption at the fallback bound instead of dropping anything, and catches up once Elasticsearch is back', async () => {
    const bed = await new MonitorTestbed().setUp();
    const proxy = await proxyToElasticsearch();
    try {
      const [topic] = (await bed.createTopics(['bounded'], 2)) as [string];
      const app = await bed.startInProcess({
        ELASTICSEARCH_URL: `http://127.0.0.1:${proxy.port}`,
        MONITOR_FALLBACK_MAX_BYTES: String(1024 * 1024),
        MONITOR_FALLBACK_FILE_BYTES: String(256 * 1024),
        MONITOR_BULK_MAX_DOCS: '100',
      });
      const health = async (): Promise<{ status: number; body: Health }> => {
        const response = await app.inject({ method: 'GET', url: '/health' });
        return { status: response.statusCode, body: response.json<Health>() };
      };
      await bed.produce(topic, [{ key: 'warm-up', value: '{"warmUp":true}' }]);
      await bed.waitForCount(1, 'the warm-up record, indexed directly');

      proxy.cut();
      // About 5 MiB of documents against a 1 MiB bound.
      await bed.produce(topic, records(2000, 'bounded', 1000));
      const paused = await waitFor(
        async () => {
          const { status, body } = await health();
          return body.details['monitor']?.['paused'] === true ? { status, body } : undefined;
        },
        { timeoutMs: 30000, what: 'consumption to pause at the fallback bound' },
      );
      expect(paused.status).toBe(503);
      expect(paused.body.details['monitor']).toMatchObject({
        status: 'down',
        mode: 'spilling',
        paused: true,
      });
      const monitor = paused.body.details['monitor'] as {
        fallback: { bytes: number };
        pausedReason: string;
      };
      expect(monitor.fallback.bytes).toBeLessThanOrEqual(1024 * 1024);
      expect(monitor.pausedReason).toContain('fallback directory full');
      // Paused, it reads nothing more: not ready, yet alive (it resumes by itself).
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      // What does not fit stays in Kafka: the group has not committed it.
      expect(await bed.committedEverything()).toBe(false);

      proxy.restore();
      await bed.waitForCount(2001, 'every record, once Elasticsearch is back', 90000);
      await waitFor(() => bed.committedEverything(), { what: 'the group to commit everything' });
      await waitFor(async () => (await bed.fallbackFiles()).length === 0, {
        what: 'the fallback directory to empty',
      });
      expect((await health()).body.details['monitor']).toMatchObject({
        status: 'up',
        paused: false,
      });
      await bed.stopInProcess(app);
    } finally {
      await proxy.stop();
      await bed.cleanup();
    }
  });

  it('stays exactly once when the monitor is killed in the middle of a replay and restarted', async () => {
    const bed = await new MonitorTestbed().setUp();
    const proxy = await proxyToElasticsearch();
    try {
      const [topic] = (await bed.createTopics(['replay-crash'], 3)) as [string];
      // Small files and bulks make the replay long enough to be caught in the middle.
      const first = await bed.startChild({
        ELASTICSEARCH_URL: `http://127.0.0.1:${proxy.port}`,
        MONITOR_FALLBACK_FILE_BYTES: String(64 * 1024),
        MONITOR_BULK_MAX_DOCS: '50',
        MONITOR_BULK_CONCURRENCY: '1',
      });
      await bed.produce(topic, [{ key: 'warm-up', value: '{"warmUp":true}' }]);
      await bed.waitForCount(1, 'the warm-up record, indexed directly');

      proxy.cut();
      await bed.produce(topic, records(RECORDS, 'replayed', 600));
      await waitFor(() => bed.committedEverything(), {
        timeoutMs: 60000,
        what: 'every record to be spilled and committed',
      });
      const spilled = (await bed.fallbackFiles()).length;
      expect(spilled).toBeGreaterThan(20);

      proxy.restore();
      // Kill it as soon as the replay has deleted some files but not all.
      const left = await waitFor(
        async () => {
          const files = (await bed.fallbackFiles()).length;
          return files < spilled - 2 ? files : undefined;
        },
        { timeoutMs: 60000, intervalMs: 10, what: 'the replay to start' },
      );
      await bed.kill(first.child);
      const afterKill = (await bed.fallbackFiles()).length;
      expect(left).toBeGreaterThan(0);
      expect(afterKill).toBeGreaterThan(0);
      expect(await bed.count()).toBeLessThan(RECORDS + 1);

      // The successor finds the files left behind and finishes the replay.
      const second = await bed.startInProcess();
      await waitFor(async () => (await bed.fallbackFiles()).length === 0, {
        timeoutMs: 90000,
        what: 'the successor to replay what was left',
      });
      expect(await bed.count()).toBe(RECORDS + 1);
      await bed.stopInProcess(second);
    } finally {
      await proxy.stop();
      await bed.cleanup();
    }
  });
});
