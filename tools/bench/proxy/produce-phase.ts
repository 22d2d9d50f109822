import type { Message, Producer } from 'kafkajs';
import type { BenchRecords } from './bench-records';
import { failureOf, type HttpClient } from './http-client';
import type { LoadTally } from './load-tally';
import type { BenchCaller } from './platform';

/** Records per partition: what the produce answers placed where, so consume knows when it is done. */
export class PartitionCounts {
  readonly counts = new Map<number, number>();

  add(partition: number, n: number): void {
    this.counts.set(partition, (this.counts.get(partition) ?? 0) + n);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}

export interface ProduceWork {
  records: BenchRecords;
  /** Records per request (HTTP) or per send (kafkajs). */
  batch: number;
  /** Records each side produces per round. */
  perRound: number;
  /** Concurrent requests (HTTP) or sends (kafkajs). */
  concurrency: number;
  /** Set: every HTTP request carries an Idempotency-Key of its own, starting with this. */
  idempotencyKeyPrefix?: string;
}

/** Hands out the batches of one round to concurrent workers: [from, count] until none is left. */
function batchesOf(work: ProduceWork, round: number): () => [number, number] | undefined {
  const start = round * work.perRound;
  const end = start + work.perRound;
  let next = start;
  return () => {
    if (next >= end) return undefined;
    const from = next;
    next = Math.min(end, next + work.batch);
    return [from, next - from];
  };
}

/**
 * One round of HTTP produce: each client (its own API client and token) posts batches on its own
 * keep-alive connection, one request at a time. A request counts as done only with a 200 listing
 * one position per record; anything else is an error.
 */
export async function httpProduceRound(
  http: HttpClient,
  callers: BenchCaller[],
  topic: string,
  work: ProduceWork,
  round: number,
  tally: LoadTally,
  written: PartitionCounts,
): Promise<void> {
  const take = batchesOf(work, round);
  const path = `/topics/${topic}/records`;
  await Promise.all(
    callers.map(async (caller) => {
      const headers = { ...caller.headers, 'content-type': 'application/json' };
      for (let batch = take(); batch; batch = take()) {
        const [from, count] = batch;
        tally.requests += 1;
        try {
          const keyed = work.idempotencyKeyPrefix
            ? { ...headers, 'idempotency-key': `${work.idempotencyKeyPrefix}-${round}-${from}` }
            : headers;
          const answer = await http.send('POST', path, keyed, work.records.httpBody(from, count));
          if (answer.status !== 200) {
            tally.fail(failureOf(answer));
            continue;
          }
          const positions = (JSON.parse(answer.body) as { records?: { partition: number }[] })
            .records;
          if (positions?.length !== count) {
            tally.fail('200 without a position per record');
            continue;
          }
          for (const { partition } of positions) written.add(partition, 1);
          tally.latenciesMs.push(answer.ms);
          tally.records += count;
          tally.valueBytes += count * work.records.valueBytes;
        } catch (error) {
          tally.fail(`network: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
}

/**
 * The same round straight through kafkajs: the same keys, values and the headers the gateway
 * adds, `concurrency` awaited acks=all sends of `batch` records at a time on one producer.
 */
export async function rawProduceRound(
  producer: Producer,
  topic: string,
  headers: Record<string, string>,
  work: ProduceWork,
  round: number,
  tally: LoadTally,
): Promise<void> {
  const take = batchesOf(work, round);
  await Promise.all(
    Array.from({ length: work.concurrency }, async () => {
      for (let batch = take(); batch; batch = take()) {
        const [from, count] = batch;
        const messages: Message[] = [];
        for (let i = from; i < from + count; i++) {
          messages.push({
            key: work.records.key(i),
            value: JSON.stringify(work.records.value(i)),
            headers,
          });
        }
        tally.requests += 1;
        const started = performance.now();
        try {
          await producer.send({ topic, acks: -1, messages });
          tally.latenciesMs.push(performance.now() - started);
          tally.records += count;
          tally.valueBytes += count * work.records.valueBytes;
        } catch (error) {
          tally.fail(`kafka: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
}
