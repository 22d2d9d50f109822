import { waitFor } from '@event-hub/testing';
import { MonitorTestbed } from './support/monitor-harness';

const RECORDS = 2000;

function records(count: number, label: string): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `k${i % 50}`,
    value: JSON.stringify({ label, i, note: 'x'.repeat(200) }),
  }));
}

describe('monitor: redelivery and shutdown', () => {
  const bed = new MonitorTestbed();
  let topic: string;

  beforeAll(async () => {
    await bed.setUp();
    [topic] = (await bed.createTopics(['redelivery'], 3)) as [string];
  });

  afterAll(() => bed.cleanup());

  it('leaves exactly one document per record when a crashed monitor is restarted before it committed', async () => {
    // A monitor that indexes but does not commit within the test, then dies without warning.
    const first = await bed.startChild({ MONITOR_COMMIT_INTERVAL_MS: '600000' });
    await bed.produce(topic, records(RECORDS, 'redelivered'));
    await bed.waitForCount(RECORDS, 'the first monitor to index every record');
    expect(await bed.committedOffsets()).toBe(0);
    await bed.kill(first.child);

    // Its successor reads every record again from the last commit (none).
    const second = await bed.startInProcess();
    await waitFor(() => bed.committedEverything(), {
      timeoutMs: 60000,
      what: 'the successor to commit everything',
    });

    expect(await bed.count()).toBe(RECORDS);
    const metrics = (await second.inject({ method: 'GET', url: '/metrics' })).body;
    // Every redelivered record met its existing id: 409 on create, counted as a duplicate.
    expect(metrics).toContain(
      `monitor_documents_total{path="direct",outcome="duplicate",service="monitor"} ${RECORDS}`,
    );
    await bed.stopInProcess(second);
  });

  it('stores and commits what it read when stopped gracefully', async () => {
    const app = await bed.startInProcess({ MONITOR_COMMIT_INTERVAL_MS: '600000' });
    await bed.produce(topic, records(500, 'graceful'));
    await bed.waitForCount(RECORDS + 500, 'the new records');
    expect(await bed.committedEverything()).toBe(false);

    await bed.stopInProcess(app);

    expect(await bed.committedEverything()).toBe(true);
  });
});
