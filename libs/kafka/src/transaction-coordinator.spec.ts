import { createRequire } from 'node:module';

/**
 * kafkajs's transaction manager (eosManager), as patched by patches/kafkajs+2.2.4.patch.
 * Unpatched, it asked FindCoordinator before every AddPartitionsToTxn, AddOffsetsToTxn and EndTxn:
 * two requests more per transaction, about a fifth of the gateway's Kafka requests per command.
 * Patched, it keeps the coordinator as the Java client does, looks it up again only when a request
 * to it fails, and sends a transaction's first AddPartitionsToTxn again after 20 ms while the
 * coordinator is still ending the previous transaction (CONCURRENT_TRANSACTIONS), instead of
 * failing the send into the producer's retry (an error log, a metadata refresh, a back-off).
 */
const load = createRequire(__filename);
const createEosManager = load('kafkajs/src/producer/eosManager') as (options: {
  logger: unknown;
  cluster: unknown;
  transactional: boolean;
  transactionalId: string;
}) => EosManager;
const { KafkaJSProtocolError, KafkaJSConnectionError } = load('kafkajs/src/errors') as {
  KafkaJSProtocolError: new (error: {
    type: string;
    code: number;
    retriable: boolean;
    message: string;
  }) => Error;
  KafkaJSConnectionError: new (message: string) => Error;
};

interface EosManager {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  addPartitionsToTransaction(
    topics: { topic: string; partitions: { partition: number }[] }[],
  ): Promise<void>;
  sendOffsets(options: {
    consumerGroupId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

function protocolError(type: string, code: number): Error {
  return new KafkaJSProtocolError({ type, code, retriable: true, message: type });
}

type Call = [nodeId: number, api: string];

/** A cluster of brokers 1 and 2 whose transaction coordinator is `coordinator.nodeId`. */
function fakeCluster() {
  const calls: Call[] = [];
  const coordinator = { nodeId: 1 };
  /** Errors the next requests of an API get, in order. */
  const failures: Record<string, Error[]> = {};
  const broker = (nodeId: number) => {
    const request =
      (api: string, answer: unknown = {}) =>
      async () => {
        calls.push([nodeId, api]);
        const failure = failures[api]?.shift();
        if (failure) throw failure;
        if (api !== 'initProducerId' && nodeId !== coordinator.nodeId)
          throw protocolError('NOT_COORDINATOR', 16);
        return answer;
      };
    return {
      nodeId,
      initProducerId: request('initProducerId', { producerId: 7, producerEpoch: 0 }),
      addPartitionsToTxn: request('addPartitionsToTxn'),
      addOffsetsToTxn: request('addOffsetsToTxn'),
      txnOffsetCommit: request('txnOffsetCommit'),
      endTxn: request('endTxn'),
    };
  };
  const brokers = new Map([1, 2].map((nodeId) => [nodeId, broker(nodeId)]));
  const cluster = {
    retry: { retries: 0 },
    refreshMetadataIfNecessary: async () => undefined,
    findGroupCoordinator: async ({ coordinatorType }: { coordinatorType: number }) => {
      calls.push([
        0,
        coordinatorType === 1 ? 'findTransactionCoordinator' : 'findGroupCoordinator',
      ]);
      return brokers.get(coordinator.nodeId);
    },
    findBroker: async ({ nodeId }: { nodeId: number }) => brokers.get(nodeId),
  };
  return { cluster, calls, coordinator, failures };
}

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const topics = [{ topic: 'orders', partitions: [{ partition: 0 }] }];

async function manager(cluster: unknown): Promise<EosManager> {
  const eos = createEosManager({ logger, cluster, transactional: true, transactionalId: 'spec-0' });
  await eos.initProducerId();
  return eos;
}

async function transaction(eos: EosManager): Promise<void> {
  eos.beginTransaction();
  await eos.addPartitionsToTransaction(topics);
  await eos.commit();
}

describe('kafkajs transaction coordinator (patched)', () => {
  it('looks the coordinator up once, not before each request of each transaction', async () => {
    const { cluster, calls } = fakeCluster();
    const eos = await manager(cluster);
    for (let i = 0; i < 3; i++) await transaction(eos);

    expect(calls).toEqual([
      [0, 'findTransactionCoordinator'],
      [1, 'initProducerId'],
      ...Array.from({ length: 3 }, (): Call[] => [
        [1, 'addPartitionsToTxn'],
        [1, 'endTxn'],
      ]).flat(),
    ]);
  });

  it('looks it up again and sends once more when the kept one is no longer the coordinator', async () => {
    const { cluster, calls, coordinator } = fakeCluster();
    const eos = await manager(cluster);
    eos.beginTransaction();
    coordinator.nodeId = 2;
    await eos.addPartitionsToTransaction(topics);
    coordinator.nodeId = 1;
    await eos.commit();

    expect(calls.slice(2)).toEqual([
      [1, 'addPartitionsToTxn'],
      [0, 'findTransactionCoordinator'],
      [2, 'addPartitionsToTxn'],
      [2, 'endTxn'],
      [0, 'findTransactionCoordinator'],
      [1, 'endTxn'],
    ]);
  });

  it('after any other failure, fails the request as before and looks the coordinator up for the next', async () => {
    const { cluster, calls, failures } = fakeCluster();
    const eos = await manager(cluster);
    eos.beginTransaction();
    failures['addPartitionsToTxn'] = [new KafkaJSConnectionError('Connection error')];
    await expect(eos.addPartitionsToTransaction(topics)).rejects.toThrow('Connection error');
    await eos.addPartitionsToTransaction(topics);
    await eos.commit();

    expect(calls.slice(2)).toEqual([
      [1, 'addPartitionsToTxn'],
      [0, 'findTransactionCoordinator'],
      [1, 'addPartitionsToTxn'],
      [1, 'endTxn'],
    ]);
  });

  it("sends a transaction's first AddPartitionsToTxn again after 20 ms while the previous one ends", async () => {
    const { cluster, calls, failures } = fakeCluster();
    const eos = await manager(cluster);
    await transaction(eos);
    failures['addPartitionsToTxn'] = [
      protocolError('CONCURRENT_TRANSACTIONS', 51),
      protocolError('CONCURRENT_TRANSACTIONS', 51),
    ];
    eos.beginTransaction();
    const started = performance.now();
    await eos.addPartitionsToTransaction(topics);
    const waited = performance.now() - started;
    await eos.commit();

    expect(waited).toBeGreaterThanOrEqual(38);
    expect(calls.slice(4)).toEqual([
      [1, 'addPartitionsToTxn'],
      [1, 'addPartitionsToTxn'],
      [1, 'addPartitionsToTxn'],
      [1, 'endTxn'],
    ]);
  });

  it('does not retry CONCURRENT_TRANSACTIONS itself once the transaction holds partitions', async () => {
    const { cluster, failures } = fakeCluster();
    const eos = await manager(cluster);
    eos.beginTransaction();
    await eos.addPartitionsToTransaction(topics);
    failures['addPartitionsToTxn'] = [protocolError('CONCURRENT_TRANSACTIONS', 51)];
    await expect(
      eos.addPartitionsToTransaction([{ topic: 'orders', partitions: [{ partition: 1 }] }]),
    ).rejects.toThrow('CONCURRENT_TRANSACTIONS');
  });

  it('adds offsets through the kept coordinator, retrying CONCURRENT_TRANSACTIONS the same way', async () => {
    const { cluster, calls, failures } = fakeCluster();
    const eos = await manager(cluster);
    await transaction(eos);
    failures['addOffsetsToTxn'] = [protocolError('CONCURRENT_TRANSACTIONS', 51)];
    eos.beginTransaction();
    await eos.sendOffsets({
      consumerGroupId: 'group',
      topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '5' }] }],
    });
    await eos.commit();

    expect(calls.slice(4)).toEqual([
      [1, 'addOffsetsToTxn'],
      [1, 'addOffsetsToTxn'],
      [0, 'findGroupCoordinator'],
      [1, 'txnOffsetCommit'],
      [1, 'endTxn'],
    ]);
  });
});
