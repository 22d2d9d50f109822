/**
 * What one Kafka transaction costs in round trips, away from the gateway: sequential 1-record
 * transactions (begin, sendBatch, commit) on PRODUCERS producers taking turns, or plain idempotent
 * sends with PLAIN=1, timed per step; counts the AddPartitionsToTxn refusals
 * (CONCURRENT_TRANSACTIONS) kafkajs retried. Run under `flock -s /tmp/eh-services.lock`:
 *
 *   SWC_NODE_PROJECT=tools/bench/tsconfig.json node -r @swc-node/register \
 *     tools/bench/transaction-round-trips.ts
 *
 * Settings: KAFKA_BROKERS (127.0.0.1:9092), PRODUCERS (1), N (200), PLAIN (unset), RETRY_MS (10,
 * the gateway's initialRetryTime). Uses the topic `bench.txn-round-trips` (6 partitions), deleted
 * at the end.
 */
import { Kafka, logLevel, type LogEntry, type Producer } from 'kafkajs';

const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const PRODUCERS = Number(process.env['PRODUCERS'] ?? 1);
const N = Number(process.env['N'] ?? 200);
const PLAIN = process.env['PLAIN'] === '1';
const RETRY_MS = Number(process.env['RETRY_MS'] ?? 10);
const TOPIC = 'bench.txn-round-trips';
const PARTITIONS = 6;
/** The first iterations connect and load metadata: left out of the figures. */
const WARM_UP = 5;

interface Step {
  sendMs: number;
  commitMs: number;
  totalMs: number;
}

let refusals = 0;
const kafka = new Kafka({
  clientId: 'bench-txn-round-trips',
  brokers: BROKERS,
  logLevel: logLevel.ERROR,
  logCreator:
    () =>
    ({ log }: LogEntry): void => {
      if (log.message.startsWith('Failed to send') && /concurrent operation/i.test(log.message)) {
        refusals += 1;
      }
    },
  retry: { retries: 8, initialRetryTime: RETRY_MS, maxRetryTime: 1000 },
});

async function transactional(producer: Producer, i: number): Promise<Step> {
  const started = performance.now();
  const transaction = await producer.transaction();
  await transaction.sendBatch({
    topicMessages: [{ topic: TOPIC, messages: [{ value: 'v', partition: i % PARTITIONS }] }],
    acks: -1,
  });
  const sent = performance.now();
  await transaction.commit();
  const done = performance.now();
  return { sendMs: sent - started, commitMs: done - sent, totalMs: done - started };
}

async function plain(producer: Producer, i: number): Promise<Step> {
  const started = performance.now();
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: [{ value: 'v', partition: i % PARTITIONS }],
  });
  const totalMs = performance.now() - started;
  return { sendMs: totalMs, commitMs: 0, totalMs };
}

function summary(values: number[]): { mean: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const round = (v: number): number => Math.round(v * 100) / 100;
  return { mean: round(mean), median: round(sorted[sorted.length >> 1] ?? 0) };
}

async function main(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  const producers: Producer[] = [];
  try {
    for (let slot = 0; slot < (PLAIN ? 1 : PRODUCERS); slot += 1) {
      const producer = PLAIN
        ? kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
        : kafka.producer({
            transactionalId: `bench-txn-round-trips-${slot}`,
            idempotent: true,
            maxInFlightRequests: 1,
          });
      await producer.connect();
      producers.push(producer);
    }
    const steps: Step[] = [];
    for (let i = 0; i < N + WARM_UP; i += 1) {
      const producer = producers[i % producers.length] as Producer;
      const step = PLAIN ? await plain(producer, i) : await transactional(producer, i);
      if (i >= WARM_UP) steps.push(step);
    }
    console.log(
      JSON.stringify({
        mode: PLAIN ? 'plain send' : `transactions on ${PRODUCERS} producer(s) taking turns`,
        iterations: N,
        sendMs: summary(steps.map((s) => s.sendMs)),
        commitMs: summary(steps.map((s) => s.commitMs)),
        totalMs: summary(steps.map((s) => s.totalMs)),
        concurrentTransactionRefusals: refusals,
      }),
    );
  } finally {
    await Promise.all(producers.map((p) => p.disconnect()));
    await admin.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
