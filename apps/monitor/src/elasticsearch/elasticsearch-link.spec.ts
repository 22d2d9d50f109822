import { Logger } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import type { MonitorSettings } from '../config/monitor-settings';
import { ElasticsearchLink } from './elasticsearch-link';

const settings = {
  indexPrefix: 'logs',
  indexReplicas: 0,
  bulk: { timeoutMs: 1000 },
  healthTimeoutMs: 1000,
  probeIntervalMs: 60_000,
} as MonitorSettings;

/** A cluster stand-in counting health checks; `down` makes every request fail. */
function fakeCluster(): {
  client: Client;
  healthChecks: () => number;
  setDown(down: boolean): void;
} {
  let checks = 0;
  let down = false;
  const answer = async (result: unknown): Promise<unknown> => {
    if (down) throw new Error('connect ECONNREFUSED');
    return result;
  };
  const client = {
    cluster: {
      health: () => {
        checks++;
        return answer({ status: 'green' });
      },
    },
    indices: { putIndexTemplate: () => answer({}), putMapping: () => answer({}) },
  };
  return {
    client: client as unknown as Client,
    healthChecks: () => checks,
    setDown: (value) => (down = value),
  };
}

describe('Elasticsearch link', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('asks the cluster whether it still answers while no write did', async () => {
    const cluster = fakeCluster();
    const link = new ElasticsearchLink(cluster.client, settings);
    await link.probe();
    const before = cluster.healthChecks();

    cluster.setDown(true);
    await link.verify();

    expect(cluster.healthChecks()).toBe(before + 1);
    expect(link.isUp).toBe(false);
  });

  it('takes an answered write within the probe interval as the check', async () => {
    const cluster = fakeCluster();
    const link = new ElasticsearchLink(cluster.client, settings);
    await link.probe();
    const before = cluster.healthChecks();

    link.answered();
    await link.verify();

    expect(cluster.healthChecks()).toBe(before);
    expect(link.isUp).toBe(true);
  });

  it('checks again once the last answered write is older than the probe interval', async () => {
    const cluster = fakeCluster();
    const link = new ElasticsearchLink(cluster.client, { ...settings, probeIntervalMs: 5 });
    await link.probe();
    link.answered();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = cluster.healthChecks();

    await link.verify();

    expect(cluster.healthChecks()).toBe(before + 1);
  });
});
