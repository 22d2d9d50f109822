import { performance } from 'node:perf_hooks';
import type { Kafka } from 'kafkajs';
import { failureOf, type HttpClient } from './http-client';
import type { Timed } from './interleaved-sides';
import type { LoadTally } from './load-tally';
import type { BenchCaller } from './platform';
import type { PartitionCounts } from './produce-phase';

export interface ConsumeWork {
  /** Records per request (`limit`). */
  limit: number;
  /**
   * `maxWaitMs` of each read: the records are already there, so a read answers as soon as its
   * fetch returns; 0 would let a gateway answer before its fetch did, measuring nothing.
   */
  waitMs: number;
  /** How long one partition may answer nothing new before the round fails. */
  stallMs: number;
  valueBytes: number;
}

interface ConsumedAnswer {
  records?: { partition: number; offset: string; value: unknown }[];
  nextOffsets?: { partition: number; offset: string }[];
}

/** One partition being read back over HTTP: where the next read starts and what is still due. */
interface Cursor {
  partition: number;
  nextOffset: string;
  remaining: number;
  lastProgress: number;
}

/**
 * One round of HTTP consume: every record the HTTP side produced, read back from offset 0 of each
 * partition with `partition`, `fromOffset`, `limit` and `maxWaitMs` (a long poll that answers as
 * soon as the records, already there, are fetched). The
 * clients share the partitions: a free client takes the next partition no one is reading, so at
 * most one request per partition is in flight and each continues at the answer's `nextOffsets`.
 * A partition is done when it delivered as many records as the produce answers placed in it.
 */
export async function httpConsumeRound(
  http: HttpClient,
  callers: BenchCaller[],
  topic: string,
  written: PartitionCounts,
  work: ConsumeWork,
  tally: LoadTally,
): Promise<void> {
  const idle: Cursor[] = [...written.counts].map(([partition, remaining]) => ({
    partition,
    nextOffset: '0',
    remaining,
    lastProgress: performance.now(),
  }));
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  const release = (cursor: Cursor | undefined) => {
    if (cursor && cursor.remaining > 0) idle.push(cursor);
    waiting.splice(0).forEach((wake) => wake());
  };

  await Promise.all(
    callers.map(async (caller) => {
      for (;;) {
        const cursor = idle.shift();
        if (!cursor) {
          // Every partition is taken: wait for one to come back, unless none will.
          if (inFlight === 0) return;
          await new Promise<void>((resolve) => waiting.push(resolve));
          continue;
        }
        inFlight += 1;
        try {
          await readOnce(http, caller, topic, cursor, work, tally);
        } finally {
          inFlight -= 1;
          release(cursor);
        }
        if (tally.errorCount > 0) {
          // One failure fails the bench; stop this round instead of hammering a broken path.
          idle.splice(0);
          release(undefined);
          return;
        }
      }
    }),
  );
}

async function readOnce(
  http: HttpClient,
  caller: BenchCaller,
  topic: string,
  cursor: Cursor,
  work: ConsumeWork,
  tally: LoadTally,
): Promise<void> {
  const query = new URLSearchParams({
    partition: String(cursor.partition),
    fromOffset: cursor.nextOffset,
    limit: String(work.limit),
    maxWaitMs: String(work.waitMs),
  });
  tally.requests += 1;
  try {
    const answer = await http.send('GET', `/topics/${topic}/records?${query}`, caller.headers);
    if (answer.status !== 200) {
      tally.fail(failureOf(answer));
      return;
    }
    const body = JSON.parse(answer.body) as ConsumedAnswer;
    const records = (body.records ?? []).filter((r) => r.partition === cursor.partition);
    const next = body.nextOffsets?.find((o) => o.partition === cursor.partition)?.offset;
    const last = records[records.length - 1];
    const nextOffset = next ?? (last ? String(BigInt(last.offset) + 1n) : cursor.nextOffset);
    tally.latenciesMs.push(answer.ms);
    if (records.length > cursor.remaining) {
      tally.fail(`partition ${cursor.partition} delivered more records than were produced`);
      return;
    }
    cursor.remaining -= records.length;
    tally.records += records.length;
    tally.valueBytes += records.length * work.valueBytes;
    if (records.length > 0 || nextOffset !== cursor.nextOffset) {
      cursor.lastProgress = performance.now();
    } else {
      // Nothing yet (a reader still warming up): do not spin on the gateway.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (performance.now() - cursor.lastProgress > work.stallMs) {
      tally.fail(
        `partition ${cursor.partition} stalled at offset ${cursor.nextOffset} with ${cursor.remaining} records due`,
      );
      cursor.remaining = 0;
      return;
    }
    cursor.nextOffset = nextOffset;
  } catch (error) {
    tally.fail(`network: ${error instanceof Error ? error.message : String(error)}`);
    cursor.remaining = 0;
  }
}

/**
 * The same records through kafkajs: a fresh consumer group on the same topic from the beginning,
 * eachBatch, read committed (kafkajs's default), until it has every record. The clock (the
 * caller's) covers the group join and the reads, not connecting.
 */
export async function rawConsumeRound(
  kafka: Kafka,
  topic: string,
  groupId: string,
  expected: number,
  work: ConsumeWork,
  tally: LoadTally,
  timed: Timed,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await timed(async () => {
      let received = 0;
      let batchStarted = performance.now();
      let done!: () => void;
      const complete = new Promise<void>((resolve) => (done = resolve));
      let lastProgress = performance.now();
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const count = batch.messages.length;
          if (count === 0) return;
          const now = performance.now();
          tally.requests += 1;
          tally.latenciesMs.push(now - batchStarted);
          batchStarted = now;
          lastProgress = now;
          received += count;
          tally.records += count;
          tally.valueBytes += count * work.valueBytes;
          if (received >= expected) done();
        },
      });
      const watchdog = setInterval(() => {
        if (performance.now() - lastProgress > work.stallMs) done();
      }, 250);
      await complete;
      clearInterval(watchdog);
      if (received !== expected) tally.fail(`kafkajs read ${received} of ${expected} records`);
    });
  } finally {
    await consumer.disconnect();
  }
}
