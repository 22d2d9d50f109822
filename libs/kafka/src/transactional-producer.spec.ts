import type { ProducerBatch, RecordMetadata, Transaction } from 'kafkajs';
import { waitFor, type WaitForOptions } from '@event-hub/testing';
import {
  TransactionAbortedError,
  TransactionOutcomeUnknownError,
  TransactionQueueFullError,
  TransactionalProducer,
  type ProducerReplacement,
  type TransactionalKafkaProducer,
  type TransactionalRecord,
} from './transactional-producer';
import { TransactionalPartitioner } from './transactional-partitioner';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake kafkajs broker: each partition's log is a counter; every transaction is recorded. */
class FakeKafka {
  readonly transactions: FakeTransaction[] = [];
  readonly producersCreated: number[] = [];
  readonly logEnd = new Map<string, number>();
  /** When set, the next sendBatch waits for it (to hold a transaction open). */
  gate: Deferred<void> | undefined;
  failNextSend: Error | undefined;
  failNextCommit: Error | undefined;
  failNextAbort: Error | undefined;
  /** Every sendBatch holding a message of this value fails. */
  poison: string | undefined;
  /** Per transactional id (slot), the epoch of its latest incarnation: older ones are fenced. */
  private readonly epochs = new Map<number, number>();

  producer = (slot: number): TransactionalKafkaProducer => {
    this.producersCreated.push(slot);
    let epoch = 0;
    return {
      connect: async () => {
        epoch = this.fence(slot);
      },
      disconnect: async () => undefined,
      transaction: async () => {
        const transaction = new FakeTransaction(this, slot, () => epoch < this.epochOf(slot));
        this.transactions.push(transaction);
        return transaction as unknown as Transaction;
      },
    };
  };

  /** Another incarnation of the slot's transactional id initialises (InitProducerId): a new epoch. */
  fence(slot: number): number {
    const epoch = this.epochOf(slot) + 1;
    this.epochs.set(slot, epoch);
    return epoch;
  }

  private epochOf(slot: number): number {
    return this.epochs.get(slot) ?? 0;
  }
}

class FakeTransaction {
  batches: ProducerBatch[] = [];
  state: 'open' | 'committed' | 'aborted' = 'open';

  constructor(
    private readonly kafka: FakeKafka,
    readonly slot: number,
    private readonly fenced: () => boolean,
  ) {}

  get records(): number {
    return this.batches
      .flatMap((b) => b.topicMessages ?? [])
      .reduce((sum, t) => sum + t.messages.length, 0);
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    this.batches.push(batch);
    const gate = this.kafka.gate;
    this.kafka.gate = undefined;
    if (gate) await gate.promise;
    const failure = this.kafka.failNextSend;
    this.kafka.failNextSend = undefined;
    if (failure) throw failure;
    // As kafkajs does: AddPartitionsToTxn is refused, so no partition is added to the transaction
    // and a later abort() sends nothing, and succeeds.
    if (this.fenced()) {
      throw Object.assign(new Error('Producer attempted an operation with an old epoch'), {
        name: 'KafkaJSProtocolError',
        type: 'INVALID_PRODUCER_EPOCH',
      });
    }
    const poisoned = (batch.topicMessages ?? []).some((t) =>
      t.messages.some((m) => m.value === this.kafka.poison),
    );
    if (poisoned) throw new Error('UNKNOWN_TOPIC_OR_PARTITION');
    const acks: RecordMetadata[] = [];
    for (const { topic, messages } of batch.topicMessages ?? []) {
      const partitions = new Map<number, number>();
      for (const m of messages)
        partitions.set(m.partition ?? -1, (partitions.get(m.partition ?? -1) ?? 0) + 1);
      for (const [partition, count] of partitions) {
        const key = `${topic}/${partition}`;
        const base = this.kafka.logEnd.get(key) ?? 0;
        this.kafka.logEnd.set(key, base + count);
        acks.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base) });
      }
    }
    return acks;
  }

  async commit(): Promise<void> {
    const failure = this.kafka.failNextCommit;
    this.kafka.failNextCommit = undefined;
    if (failure) throw failure;
    this.state = 'committed';
  }

  async abort(): Promise<void> {
    const failure = this.kafka.failNextAbort;
    this.kafka.failNextAbort = undefined;
    if (failure) throw failure;
    this.state = 'aborted';
  }
}

const record = (topic: string, partition: number, value = 'v'): TransactionalRecord => ({
  topic,
  message: { partition, value },
});

describe('TransactionalProducer', () => {
  let kafka: FakeKafka;
  let producer: TransactionalProducer;

  const start = (options: Partial<ConstructorParameters<typeof TransactionalProducer>[0]> = {}) => {
    producer = new TransactionalProducer({
      createProducer: kafka.producer,
      slots: 1,
      lingerMs: 1,
      ...options,
    });
    return producer;
  };

  beforeEach(() => {
    kafka = new FakeKafka();
  });

  afterEach(async () => {
    await producer?.close();
  });

  it('writes concurrent requests in one committed transaction and answers each record its offset', async () => {
    start();
    const [first, second] = await Promise.all([
      producer.write([record('orders', 0), record('orders', 1), record('usage', 2)]),
      producer.write([record('orders', 0), record('usage', 2)]),
    ]);

    expect(kafka.transactions).toHaveLength(1);
    expect(kafka.transactions[0]?.state).toBe('committed');
    expect(first).toEqual([
      { topic: 'orders', partition: 0, offset: '0' },
      { topic: 'orders', partition: 1, offset: '0' },
      { topic: 'usage', partition: 2, offset: '0' },
    ]);
    expect(second).toEqual([
      { topic: 'orders', partition: 0, offset: '1' },
      { topic: 'usage', partition: 2, offset: '1' },
    ]);
  });

  it('sends trailers after the records of the same transaction, built from where they landed', async () => {
    start();
    const trailer = (positions: readonly { offset: string }[]) =>
      record('usage', 2, positions.map((p) => p.offset).join(','));
    const [keyed, plain] = await Promise.all([
      producer.write([record('orders', 0), record('orders', 0)], trailer),
      producer.write([record('orders', 0), record('usage', 2)]),
    ]);

    const [transaction] = kafka.transactions;
    expect(kafka.transactions).toHaveLength(1);
    expect(transaction?.state).toBe('committed');
    expect(transaction?.batches.map((b) => b.topicMessages?.map((t) => t.topic))).toEqual([
      ['orders', 'usage'],
      ['usage'],
    ]);
    expect(transaction?.batches[1]?.topicMessages?.[0]?.messages[0]?.value).toBe('0,1');
    expect(keyed).toEqual([
      { topic: 'orders', partition: 0, offset: '0' },
      { topic: 'orders', partition: 0, offset: '1' },
      { topic: 'usage', partition: 2, offset: '1' },
    ]);
    expect(plain).toEqual([
      { topic: 'orders', partition: 0, offset: '2' },
      { topic: 'usage', partition: 2, offset: '0' },
    ]);
  });

  it('sends acks=all', async () => {
    start();
    await producer.write([record('orders', 0)]);
    expect(kafka.transactions[0]?.batches[0]?.acks).toBe(-1);
  });

  it('keeps writing while a transaction is open: the next one collects everything that arrived meanwhile', async () => {
    start();
    kafka.gate = deferred<void>();
    const gate = kafka.gate;
    const first = producer.write([record('orders', 0)]);
    await waitFor(
      () => kafka.transactions.length === 1 && kafka.transactions[0]?.batches.length === 1,
      soon('the first transaction to send its batch'),
    );
    const later = [1, 2, 3].map(() => producer.write([record('orders', 0)]));
    gate.resolve();

    await Promise.all([first, ...later]);
    expect(kafka.transactions.map((t) => t.records)).toEqual([1, 3]);
  });

  it('never splits a write across transactions, and a write above the batch bound goes alone', async () => {
    start({ maxBatchRecords: 2 });
    const writes = await Promise.all([
      producer.write([record('a', 0), record('a', 0), record('a', 0)]),
      producer.write([record('a', 0)]),
      producer.write([record('a', 0)]),
    ]);
    expect(writes.map((w) => w.length)).toEqual([3, 1, 1]);
    expect(kafka.transactions.map((t) => t.records)).toEqual([3, 2]);
  });

  it('aborts the transaction when Kafka refuses the records: the write fails and nothing is committed', async () => {
    start();
    kafka.failNextSend = new Error('NOT_ENOUGH_REPLICAS');
    const result = producer.write([record('orders', 0)]);

    await expect(result).rejects.toBeInstanceOf(TransactionAbortedError);
    await expect(result).rejects.toMatchObject({ reason: 'broker_error' });
    expect(kafka.transactions.map((t) => t.state)).toEqual(['aborted']);
  });

  it('retries each write of a refused shared transaction alone, so one bad write does not fail the others', async () => {
    start();
    kafka.poison = 'bad';
    const results = await Promise.allSettled([
      producer.write([record('orders', 0, 'good-1')]),
      producer.write([record('deleted-topic', 0, 'bad')]),
      producer.write([record('orders', 1, 'good-2')]),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(kafka.transactions.map((t) => [t.state, t.records])).toEqual([
      ['aborted', 3],
      ['committed', 1],
      ['aborted', 1],
      ['committed', 1],
    ]);
  });

  it('answers at the deadline that nothing was written, and aborts instead of committing when Kafka answers late', async () => {
    // A deadline long enough for a loaded machine to begin the transaction before it passes: the
    // case is Kafka answering late, not a write refused before it reached Kafka.
    start({ timeoutMs: 500, giveUpAfterMs: 60_000 });
    kafka.gate = deferred<void>();
    const gate = kafka.gate;
    const result = producer.write([record('orders', 0)]);
    await waitFor(() => kafka.transactions.length === 1, soon('a transaction to begin'));

    await expect(result).rejects.toMatchObject({
      code: 'TRANSACTION_ABORTED',
      reason: 'timeout',
    });
    gate.resolve();
    await waitFor(() => kafka.transactions[0]?.state !== 'open', soon('the transaction to end'));
    expect(kafka.transactions[0]?.state).toBe('aborted');
  });

  it('counts time waiting for a busy slot against the deadline: a write that waited it out is not sent', async () => {
    // The slot frees only at giveUpAfterMs, long after the waiting write's deadline, however late
    // a loaded machine lets this test start the waiting write.
    start({ timeoutMs: 100, giveUpAfterMs: 1_000 });
    kafka.gate = deferred<void>();
    const gate = kafka.gate;
    const first = producer.write([record('orders', 0)]);
    await waitFor(() => kafka.transactions.length === 1, soon('a transaction to begin'));
    const waiting = producer.write([record('orders', 1)]);

    await expect(first).rejects.toMatchObject({ reason: 'timeout' });
    await expect(waiting).rejects.toMatchObject({ reason: 'timeout' });
    await waitFor(() => producer.pendingRecords === 0, soon('no record to be pending'));
    gate.resolve();
    // The waiting write never reached Kafka: no second transaction was begun for it.
    expect(kafka.transactions.map((t) => t.records)).toEqual([1]);
  });

  it('says the outcome is unknown only when a commit was sent and could not be taken back', async () => {
    start();
    kafka.failNextCommit = new Error('connection closed');
    kafka.failNextAbort = new Error('INVALID_TXN_STATE');

    await expect(producer.write([record('orders', 0)])).rejects.toBeInstanceOf(
      TransactionOutcomeUnknownError,
    );
  });

  it('reports a failed commit as aborted when the abort succeeds', async () => {
    start();
    kafka.failNextCommit = new Error('COORDINATOR_NOT_AVAILABLE');

    await expect(producer.write([record('orders', 0)])).rejects.toBeInstanceOf(
      TransactionAbortedError,
    );
    expect(kafka.transactions[0]?.state).toBe('aborted');
  });

  it('replaces a producer it could not abort from (the new one fences the old transactional id)', async () => {
    start();
    kafka.failNextSend = new Error('PRODUCER_FENCED');
    kafka.failNextAbort = new Error('PRODUCER_FENCED');
    await expect(producer.write([record('orders', 0)])).rejects.toBeInstanceOf(
      TransactionAbortedError,
    );

    await expect(producer.write([record('orders', 0)])).resolves.toHaveLength(1);
    expect(kafka.producersCreated).toEqual([0, 0]);
  });

  it('replaces a producer Kafka fenced even though its abort succeeded, and writes on the new one what the fenced one could not', async () => {
    const replaced: ProducerReplacement[] = [];
    start({ onProducerReplaced: (replacement) => replaced.push(replacement) });
    await producer.connect();
    // e.g. a replacement the slot gave up on finishing its InitProducerId after the next one did
    kafka.fence(0);

    await expect(producer.write([record('orders', 0)])).resolves.toHaveLength(1);
    await expect(producer.write([record('orders', 0)])).resolves.toHaveLength(1);
    expect(kafka.producersCreated).toEqual([0, 0]);
    expect(kafka.transactions.map((t) => t.state)).toEqual([
      'aborted', // connect's takeover
      'aborted', // refused: the producer was fenced
      'aborted', // the new producer's takeover
      'committed', // the refused write, again
      'committed',
    ]);
    expect(replaced).toEqual([
      { slot: 0, reason: 'Producer attempted an operation with an old epoch' },
    ]);
  });

  it('takes over the transactional id of every slot on connect, so a crashed incarnation is fenced at once', async () => {
    start({ slots: 2 });
    await producer.connect();
    expect(kafka.transactions.map((t) => [t.slot, t.state, t.records])).toEqual([
      [0, 'aborted', 0],
      [1, 'aborted', 0],
    ]);
  });

  it('gives up on a producer that never answers: the slot is freed and its next transaction runs on a new producer', async () => {
    start({ timeoutMs: 200, giveUpAfterMs: 210 });
    kafka.gate = deferred<void>(); // never opened: this sendBatch hangs for good

    await expect(producer.write([record('orders', 0)])).rejects.toBeInstanceOf(
      TransactionAbortedError,
    );
    // the slot gave up on its producer
    await waitFor(() => producer.pendingRecords === 0, soon('no record to be pending'));
    await expect(producer.write([record('orders', 0)])).resolves.toHaveLength(1);
    expect(kafka.producersCreated).toEqual([0, 0]);
    // The stuck one stays open (the coordinator aborts it once the new producer fences the id).
    expect(kafka.transactions.map((t) => t.state)).toEqual(['open', 'aborted', 'committed']);
  });

  it('refuses writes beyond the bound of pending records', async () => {
    start({ maxPendingRecords: 2 });
    kafka.gate = deferred<void>();
    const gate = kafka.gate;
    const first = producer.write([record('orders', 0), record('orders', 0)]);

    await expect(producer.write([record('orders', 0)])).rejects.toBeInstanceOf(
      TransactionQueueFullError,
    );
    gate.resolve();
    await first;
  });

  it('uses every slot: transactions run side by side on separate producers', async () => {
    start({ slots: 2, maxBatchRecords: 1 });
    kafka.gate = deferred<void>();
    const gate = kafka.gate;
    const first = producer.write([record('orders', 0)]);
    const second = producer.write([record('orders', 1)]);
    await waitFor(() => kafka.transactions.length === 2, soon('two transactions to begin'));
    gate.resolve();
    await Promise.all([first, second]);
    expect(kafka.transactions.map((t) => t.slot).sort()).toEqual([0, 1]);
  });

  it('begins the next transaction on the slot idle longest, not on the one whose commit just ended', async () => {
    // Kafka refuses a new transaction on a producer until the previous commit's markers are
    // written (CONCURRENT_TRANSACTIONS): a slot that had time to finish avoids that retry.
    start({ slots: 3, lingerMs: 0 });
    await producer.write([record('orders', 0)]);
    await producer.write([record('orders', 0)]);
    await producer.write([record('orders', 0)]);
    await producer.write([record('orders', 0)]);
    // connect() is not called here, so every transaction is a write's: one per slot in turn
    expect(kafka.transactions.map((t) => t.slot)).toEqual([0, 1, 2, 0]);
  });
});

describe('TransactionalPartitioner', () => {
  const partitioner = new TransactionalPartitioner();

  it('keeps an explicit partition', () => {
    expect(partitioner.partitionOf('t', 6, { value: 'x', partition: 4 })).toBe(4);
  });

  it('puts every record of one key on the same partition', () => {
    const first = partitioner.partitionOf('t', 6, { key: 'key1', value: 'x' });
    expect(partitioner.partitionOf('t', 6, { key: 'key1', value: 'y' })).toBe(first);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(6);
  });

  it('spreads unkeyed records over every partition', () => {
    const seen = new Set(
      Array.from({ length: 12 }, () => partitioner.partitionOf('u', 3, { value: 'x' })),
    );
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});

/** The fake Kafka answers within milliseconds: poll every one, give up after two seconds. */
function soon(what: string): WaitForOptions {
  return { what, intervalMs: 1, timeoutMs: 2000 };
}
