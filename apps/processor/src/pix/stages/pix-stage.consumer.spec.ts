import { PixOutboxSignal } from '../relays/outbox-signal';
import type { Batch, KafkaMessage } from 'kafkajs';
import { KafkaBatchContext } from '@event-hub/kafka';
import { PoisonRecord } from './pix-stage-message';
import {
  PixStageConsumer,
  PixStageStatuses,
  type PixStageDependencies,
  type StageItem,
} from './pix-stage.consumer';

/** Records whose value says what the stage does with them. */
class ScriptedStage extends PixStageConsumer<string> {
  readonly calls: string[][] = [];
  readonly stored: string[] = [];
  outage = false;

  constructor(deps: PixStageDependencies) {
    super(deps, 'settlement', 'test.pattern', 'pix.payment.validated');
  }

  run(records: KafkaMessage[], context: KafkaBatchContext): Promise<void> {
    return this.consumeBatch(records, context);
  }

  protected parse(message: KafkaMessage): string {
    const value = message.value?.toString() ?? '';
    if (value === 'not-json')
      throw new PoisonRecord('INVALID_JSON', 'the record value is not JSON');
    return value;
  }

  protected async handleChunk(items: StageItem<string>[]): Promise<(PoisonRecord | undefined)[]> {
    const values = items.map((i) => i.value);
    this.calls.push(values);
    if (this.outage) throw Object.assign(new Error('connection terminated'), { code: '08006' });
    // A statement that fails whenever this record is in the transaction.
    if (values.includes('failing')) throw new Error('value too long for type character varying');
    const answers = values.map((v) =>
      v === 'unknown-payer'
        ? new PoisonRecord('INVALID_PAYMENT', 'data.payerAccountId is not an account')
        : undefined,
    );
    this.stored.push(...values.filter((_, i) => !answers[i]));
    return answers;
  }
}

function fixture() {
  const sent: { topic: string; messages: { headers?: Record<string, unknown> }[] }[] = [];
  const counter = () => ({ inc: jest.fn() });
  const deps = {
    server: { subscribe: jest.fn() },
    kafka: {},
    dataSource: {},
    producer: { producer: { send: jest.fn(async (r: (typeof sent)[number]) => sent.push(r)) } },
    processor: {
      groupId: 'processor',
      sessionTimeoutMs: 30000,
      dbProbeIntervalMs: 60000,
      maxAttempts: 2,
      retryBackoffMs: 1,
      fetchMaxWaitMs: 20,
      fetchMinBytes: 1024,
    },
    topicPrefix: '',
    processorMetrics: { consumerPaused: { set: jest.fn() } },
    metrics: {
      duration: { observe: jest.fn(), startTimer: () => () => 0 },
      outcomes: counter(),
      rejections: counter(),
      deadLetters: counter(),
    },
    statuses: new PixStageStatuses(),
    outboxSignal: new PixOutboxSignal(),
  } as unknown as PixStageDependencies;
  const stage = new ScriptedStage(deps);
  const paused = jest.fn(() => () => undefined);
  const batch = (values: string[], partition = 0) => {
    const messages = values.map((value, i): KafkaMessage => ({
      key: null,
      value: Buffer.from(value),
      offset: String(100 + i),
      timestamp: '0',
      attributes: 0,
      headers: {},
    }));
    const context = new KafkaBatchContext(
      {
        topic: 'pix.payment.validated',
        partition,
        messages,
        lastOffset: () => String(99 + values.length),
      } as unknown as Batch,
      {
        heartbeat: async () => undefined,
        isRunning: () => true,
        isStale: () => false,
        pause: paused,
      },
    );
    return { messages, context };
  };
  const deadLettered = () =>
    sent.flatMap((r) =>
      r.messages.map((m) => String((m.headers as Record<string, unknown>)['dlq-error-code'])),
    );
  return { stage, batch, deadLettered, paused };
}

describe('a PIX stage consumer', () => {
  it('handles a chunk in one transaction and dead-letters a record that is poison on its own without failing the others', async () => {
    const { stage, batch, deadLettered } = fixture();
    const { messages, context } = batch(['p1', 'not-json', 'p2', 'unknown-payer', 'p3']);

    await stage.run(messages, context);

    expect(stage.calls).toEqual([['p1', 'p2', 'unknown-payer', 'p3']]);
    expect(stage.stored).toEqual(['p1', 'p2', 'p3']);
    expect(deadLettered()).toEqual(['INVALID_JSON', 'INVALID_PAYMENT']);
    expect(context.doneOffset()).toBe('104');
  });

  it('goes one by one when the chunk’s transaction fails: the record that keeps failing is dead-lettered, the others are stored', async () => {
    const { stage, batch, deadLettered } = fixture();
    const { messages, context } = batch(['p1', 'failing', 'p2']);

    await stage.run(messages, context);

    expect(stage.calls).toEqual([
      ['p1', 'failing', 'p2'],
      ['p1'],
      ['failing'],
      ['failing'],
      ['p2'],
    ]);
    expect(stage.stored).toEqual(['p1', 'p2']);
    expect(deadLettered()).toEqual(['UNPROCESSABLE']);
    expect(context.doneOffset()).toBe('102');
  });

  it('stores nothing of the chunk and pauses the topic while Postgres is unreachable', async () => {
    const { stage, batch, deadLettered, paused } = fixture();
    stage.outage = true;
    const { messages, context } = batch(['p1', 'p2']);

    await stage.run(messages, context);
    stage.onModuleDestroy();

    expect(stage.calls).toEqual([['p1', 'p2']]);
    expect(deadLettered()).toEqual([]);
    expect(context.doneOffset()).toBeUndefined();
    expect(paused).toHaveBeenCalledTimes(1);
  });

  it('handles the batches of several partitions handed over at once in one transaction, each resolving its own offsets', async () => {
    const { stage, batch } = fixture();
    const first = batch(['a1', 'a2'], 0);
    const second = batch(['b1'], 1);

    await Promise.all([
      stage.run(first.messages, first.context),
      stage.run(second.messages, second.context),
    ]);

    expect(stage.calls).toEqual([['a1', 'a2', 'b1']]);
    expect(first.context.doneOffset()).toBe('101');
    expect(second.context.doneOffset()).toBe('100');
  });

  it('goes one by one, each partition on its own, when the transaction of several partitions fails', async () => {
    const { stage, batch, deadLettered } = fixture();
    const first = batch(['a1'], 0);
    const second = batch(['failing'], 1);

    await Promise.all([
      stage.run(first.messages, first.context),
      stage.run(second.messages, second.context),
    ]);

    expect(stage.calls).toEqual([['a1', 'failing'], ['a1'], ['failing'], ['failing']]);
    expect(stage.stored).toEqual(['a1']);
    expect(deadLettered()).toEqual(['UNPROCESSABLE']);
    expect(first.context.doneOffset()).toBe('100');
    expect(second.context.doneOffset()).toBe('100');
  });
});
