import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@event-hub/testing';
import type { Kafka } from 'kafkajs';
import { BalanceView } from './balance-view';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' } as const;

/** A kafkajs consumer reduced to what the view uses; `crash` emits what kafkajs emits. */
class FakeConsumer extends EventEmitter {
  readonly events = EVENTS;
  disconnected = false;
  connect = jest.fn(async () => undefined);
  subscribe = jest.fn(async () => undefined);
  seek = jest.fn();
  run = jest.fn(async () => {
    this.emit(EVENTS.GROUP_JOIN, {});
  });
  disconnect = jest.fn(async () => {
    this.disconnected = true;
  });

  crash(restart: boolean): void {
    this.emit(EVENTS.CRASH, {
      payload: { error: new Error('Connection error: connect ECONNREFUSED'), restart },
    });
  }
}

function fakeKafka(consumers: FakeConsumer[]): Kafka {
  return {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: '0' }],
    }),
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      return consumer;
    },
  } as unknown as Kafka;
}

describe('BalanceView', () => {
  let dir: string;
  let view: BalanceView | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'balance-view-'));
  });

  afterEach(async () => {
    await view?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (consumers: FakeConsumer[]): Promise<BalanceView> => {
    view = new BalanceView(fakeKafka(consumers), {
      topic: 'account_balances',
      snapshotPath: join(dir, 'view.sqlite'),
      snapshotIntervalMs: 60_000,
      groupPrefix: 'test',
    });
    await view.start();
    return view;
  };

  it('replaces a consumer kafkajs gave up on, and reports healthy again once it rejoined', async () => {
    const consumers: FakeConsumer[] = [];
    const balances = await start(consumers);
    expect(balances.current().ready).toBe(true);

    consumers[0]?.crash(false);
    expect(balances.current().failure).toMatch(/ECONNREFUSED/);

    await waitFor(() => consumers.length === 2, { timeoutMs: 5000, what: 'a new consumer' });
    expect(consumers[0]?.disconnected).toBe(true);
    await waitFor(() => balances.current().failure === undefined, {
      timeoutMs: 5000,
      what: 'the failure to clear',
    });
  });

  it('leaves a crash kafkajs restarts itself to kafkajs', async () => {
    const consumers: FakeConsumer[] = [];
    const balances = await start(consumers);

    consumers[0]?.crash(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(consumers).toHaveLength(1);
    expect(balances.current().failure).toMatch(/ECONNREFUSED/);
  });
});
