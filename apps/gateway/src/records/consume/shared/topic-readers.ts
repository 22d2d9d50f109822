import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from '@event-hub/kafka';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { ConsumeBusyError } from './consume.errors';
import { TopicReader, type HeldBatch, type ReadRequest, type ReadResult } from './topic-reader';

interface Waiter {
  resolve: (reader: TopicReader) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface TopicPool {
  idle: TopicReader[];
  size: number;
  waiters: Waiter[];
}

/** See {@link TopicReaderOptions} and the consume README (Throughput). */
const FETCH_BYTES_PER_PARTITION = 1024 * 1024;
const LINGER_MS = 20;

/** How long a request waits for a busy topic's reader before it is answered 503. */
const ACQUIRE_TIMEOUT_MS = 5000;

/**
 * A bounded pool of {@link TopicReader}s: at most `perTopic` per topic and `max` in all, each
 * serving one request at a time. Starting a reader (connect and join its private group) costs
 * tens to hundreds of milliseconds, a read on a started one a fetch: readers are kept while used
 * and closed after `idleMs` without use, and all of them on shutdown.
 */
@Injectable()
export class TopicReaders implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TopicReaders.name);
  private readonly pools = new Map<string, TopicPool>();
  /** Every open reader, busy or idle, so shutdown closes (and so answers) the busy ones too. */
  private readonly open = new Set<TopicReader>();
  private total = 0;
  private sweeper?: NodeJS.Timeout;
  private closing = false;
  private readonly perTopic: number;
  private readonly max: number;
  private readonly idleMs: number;
  private readonly groupPrefix: string;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.perTopic = config.get('GATEWAY_CONSUME_READERS_PER_TOPIC');
    this.max = config.get('GATEWAY_CONSUME_MAX_READERS');
    this.idleMs = config.get('GATEWAY_CONSUME_READER_IDLE_MS');
    // Never `tenant.` (tenant groups' namespace): a tenant can never name a reader's group.
    this.groupPrefix = `gateway-reader.${randomUUID()}`;
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(this.idleMs, 10_000));
    this.sweeper.unref();
  }

  /** Reads with a reader of `topic`, waiting for one when all of that topic's are busy. */
  async read(topic: string, request: ReadRequest): Promise<ReadResult> {
    const reader = await this.acquire(topic, request.positions);
    try {
      return await reader.read(request, this.handedOver(reader, request.positions));
    } finally {
      this.release(reader);
    }
  }

  /**
   * What the topic's other readers fetched ahead at these positions. The reader a client's previous
   * read ended on is preferred ({@link acquire}), but it may be busy with another partition's
   * request (clients sharing partitions); then the reader taken instead adopts those records rather
   * than seeking and fetching (and decoding) them again, and the busy one stops prefetching there.
   */
  private handedOver(
    reader: TopicReader,
    positions: ReadonlyMap<number, string>,
  ): Map<number, HeldBatch> | undefined {
    let adopted: Map<number, HeldBatch> | undefined;
    for (const [partition, text] of positions) {
      const offset = BigInt(text);
      if (reader.standsAt(partition, offset)) continue;
      for (const other of this.open) {
        if (other === reader || other.topic !== reader.topic) continue;
        const held = other.handOver(partition, offset);
        if (held && !adopted?.has(partition)) (adopted ??= new Map()).set(partition, held);
      }
    }
    return adopted;
  }

  get size(): number {
    return this.total;
  }

  /** Closes the readers of a deleted topic: idle ones now, busy ones answer what they have first. */
  closeTopic(topic: string): void {
    const pool = this.pools.get(topic);
    if (!pool) return;
    for (const reader of pool.idle.splice(0)) this.discard(reader, pool);
    // release() discards a busy one once its read is answered.
    for (const reader of this.open) {
      if (reader.topic === topic) {
        reader
          .close()
          .catch((error: unknown) => this.logger.warn(`Closing a reader: ${String(error)}`));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    for (const pool of this.pools.values()) {
      for (const waiter of pool.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(new ConsumeBusyError('The gateway is shutting down'));
      }
      pool.idle.splice(0);
    }
    this.pools.clear();
    // A busy reader's close ends its read first: a long poll is answered with what it has.
    const readers = [...this.open];
    this.open.clear();
    await Promise.allSettled(readers.map((reader) => reader.close()));
  }

  private async acquire(
    topic: string,
    positions: ReadonlyMap<number, string>,
  ): Promise<TopicReader> {
    if (this.closing) throw new ConsumeBusyError('The gateway is shutting down');
    const pool = this.poolOf(topic);
    // The reader a client's previous read ended on continues without a seek.
    const index = pool.idle.findIndex((reader) => reader.continues(positions));
    const idle = index >= 0 ? pool.idle.splice(index, 1)[0] : pool.idle.pop();
    if (idle) return idle;
    if (pool.size < this.perTopic && (this.total < this.max || this.evictIdle())) {
      return this.start(topic, pool);
    }
    return new Promise<TopicReader>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          pool.waiters.splice(pool.waiters.indexOf(waiter), 1);
          reject(new ConsumeBusyError(`Every reader of this topic stayed busy`));
        }, ACQUIRE_TIMEOUT_MS),
      };
      pool.waiters.push(waiter);
    });
  }

  private async start(topic: string, pool: TopicPool): Promise<TopicReader> {
    pool.size += 1;
    this.total += 1;
    const reader = new TopicReader(this.kafka, topic, `${this.groupPrefix}.${randomUUID()}`, {
      fetchWaitMs: this.config.get('GATEWAY_CONSUME_FETCH_WAIT_MS'),
      // Every fetched record is decoded whether the read uses it or not: fetch about one answer's
      // worth (kafkajs's default), not GATEWAY_CONSUME_MAX_RESPONSE_BYTES per partition.
      maxBytesPerPartition: Math.min(
        FETCH_BYTES_PER_PARTITION,
        this.config.get('GATEWAY_CONSUME_MAX_RESPONSE_BYTES'),
      ),
      lingerMs: LINGER_MS,
    });
    this.open.add(reader);
    try {
      await reader.start();
      return reader;
    } catch (error) {
      this.discard(reader, pool);
      throw error;
    }
  }

  private release(reader: TopicReader): void {
    const pool = this.pools.get(reader.topic);
    if (!pool) {
      // Shutting down: onApplicationShutdown closes it.
      return;
    }
    if (reader.broken || this.closing) {
      this.discard(reader, pool);
      return;
    }
    const waiter = pool.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(reader);
    } else {
      pool.idle.push(reader);
    }
  }

  private discard(reader: TopicReader, pool: TopicPool): void {
    pool.size -= 1;
    this.total -= 1;
    this.open.delete(reader);
    reader
      .close()
      .catch((error: unknown) => this.logger.warn(`Closing a reader: ${String(error)}`));
  }

  /** Frees room for another topic's reader by closing the longest idle one. */
  private evictIdle(): boolean {
    let oldest: { reader: TopicReader; pool: TopicPool } | undefined;
    for (const pool of this.pools.values()) {
      for (const reader of pool.idle) {
        if (!oldest || reader.lastUsedAt < oldest.reader.lastUsedAt) oldest = { reader, pool };
      }
    }
    if (!oldest) return false;
    oldest.pool.idle.splice(oldest.pool.idle.indexOf(oldest.reader), 1);
    this.discard(oldest.reader, oldest.pool);
    return true;
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [topic, pool] of this.pools) {
      for (const reader of [...pool.idle]) {
        // A broken reader (its topic deleted elsewhere, say) is not worth keeping either.
        if (reader.broken || now - reader.lastUsedAt >= this.idleMs) {
          pool.idle.splice(pool.idle.indexOf(reader), 1);
          this.discard(reader, pool);
        }
      }
      if (pool.size === 0 && pool.waiters.length === 0) this.pools.delete(topic);
    }
  }

  private poolOf(topic: string): TopicPool {
    let pool = this.pools.get(topic);
    if (!pool) {
      pool = { idle: [], size: 0, waiters: [] };
      this.pools.set(topic, pool);
    }
    return pool;
  }
}
