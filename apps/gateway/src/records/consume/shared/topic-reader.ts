import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { isPlatformHeader } from '../../shared/platform-headers';

/** A record as read from Kafka (committed only), with the bytes it counts for quota and billing. */
export interface FetchedRecord {
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  bytes: number;
}

export interface ReadRequest {
  /** Partition → offset to read from; only these partitions are read. */
  positions: ReadonlyMap<number, string>;
  limit: number;
  maxBytes: number;
  /** Resolve empty after this long when no record arrives. */
  waitMs: number;
}

export interface ReadResult {
  records: FetchedRecord[];
  /** Partition → the offset to continue from, for every requested partition. */
  next: Map<number, string>;
}

/** Records fetched beyond where a read ended, kept for the request that continues there. */
export interface HeldBatch {
  messages: KafkaMessage[];
  lastOffset: bigint;
  highWatermark: bigint;
}

interface ActiveRead {
  request: ReadRequest;
  expected: Map<number, bigint>;
  /** Partitions known to hold more committed records than the read took. */
  more: Set<number>;
  records: FetchedRecord[];
  bytes: number;
  timer?: NodeJS.Timeout;
  linger?: NodeJS.Timeout;
  finishing: boolean;
  resolve: (result: ReadResult) => void;
  reject: (error: Error) => void;
}

export interface TopicReaderOptions {
  /** The broker holds an empty fetch this long (also how long a resumed partition may wait). */
  fetchWaitMs: number;
  maxBytesPerPartition: number;
  /**
   * Once a read has records, it keeps collecting what the following fetches bring for this long
   * (unless the limit is reached or the partition is caught up), so one answer holds more than
   * one fetch without making a client wait for records that are not there.
   */
  lingerMs: number;
}

/**
 * One kafkajs consumer reading one topic for one request at a time. kafkajs has no manual
 * `assign()`, so the reader is the only member of a group private to it (it never commits): it
 * owns every partition without rebalances, and a read is seek + resume, then pause.
 *
 * Not a KafkaBatchServer subscription (@event-hub/kafka) like the long-lived consumers: a read is
 * driven by an HTTP request (its partitions, offsets, limit and wait), not by a subscription that
 * runs for the life of the app and hands every record to one handler.
 */
export class TopicReader {
  private readonly consumer: Consumer;
  private partitions: number[] = [];
  private active?: ActiveRead;
  private failure?: Error;
  private closed = false;
  /**
   * Per partition, where the last read ended (the nextOffsets it answered) while the consumer's
   * own position stands right after {@link held}: a request continuing there needs no seek.
   */
  private readonly continueAt = new Map<number, bigint>();
  private readonly held = new Map<number, HeldBatch>();
  lastUsedAt = Date.now();

  constructor(
    kafka: Kafka,
    readonly topic: string,
    readonly groupId: string,
    private readonly options: TopicReaderOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId,
      // Read committed only (kafkajs's default, spelled out): records of aborted transactions and
      // transaction markers never reach eachBatch.
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: options.fetchWaitMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      retry: { retries: 3 },
    });
  }

  get broken(): boolean {
    return this.failure !== undefined || this.closed;
  }

  async start(): Promise<void> {
    const joined = new Promise<number[]>((resolve, reject) => {
      this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) =>
        resolve(payload.memberAssignment[this.topic] ?? []),
      );
      this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        this.fail(payload.error);
        reject(payload.error);
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.partitions = await joined;
    this.consumer.pause([{ topic: this.topic }]);
  }

  /** Whether this reader stands where a request for these positions starts (no seek needed). */
  continues(positions: ReadonlyMap<number, string>): boolean {
    for (const [partition, offset] of positions) {
      if (this.standsAt(partition, BigInt(offset))) return true;
    }
    return false;
  }

  /** Whether this reader's last read of `partition` ended at `offset`. */
  standsAt(partition: number, offset: bigint): boolean {
    return this.continueAt.get(partition) === offset;
  }

  /**
   * Gives up where this reader stands on `partition` when that is `offset`: the request continuing
   * there went to another reader of the topic (this one was busy), which takes the records this
   * one fetched ahead instead of fetching them again. Stops prefetching that partition.
   */
  handOver(partition: number, offset: bigint): HeldBatch | undefined {
    if (this.broken || !this.standsAt(partition, offset)) return undefined;
    const held = this.held.get(partition);
    this.continueAt.delete(partition);
    this.held.delete(partition);
    this.consumer.pause([{ topic: this.topic, partitions: [partition] }]);
    return held;
  }

  /**
   * `adopted`: per partition, records another reader fetched ahead from exactly the requested
   * offset ({@link handOver}); they are served as this reader's own, and its consumer goes on
   * after them.
   */
  read(request: ReadRequest, adopted?: ReadonlyMap<number, HeldBatch>): Promise<ReadResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('TopicReader closed'));
    if (this.active) return Promise.reject(new Error('TopicReader serves one read at a time'));
    this.lastUsedAt = Date.now();
    return new Promise<ReadResult>((resolve, reject) => {
      const read: ActiveRead = {
        request,
        expected: new Map([...request.positions].map(([p, offset]) => [p, BigInt(offset)])),
        more: new Set(),
        records: [],
        bytes: 0,
        finishing: false,
        resolve,
        reject,
      };
      this.active = read;
      read.timer = setTimeout(() => this.finish(read), request.waitMs);
      const wanted: number[] = [];
      const served: [number, HeldBatch][] = [];
      for (const [partition, offset] of request.positions) {
        if (!this.partitions.includes(partition)) continue;
        wanted.push(partition);
        const held = this.held.get(partition);
        this.held.delete(partition);
        const handed = adopted?.get(partition);
        if (this.standsAt(partition, BigInt(offset))) {
          if (held) served.push([partition, held]);
        } else if (handed) {
          served.push([partition, handed]);
          const after = (handed.lastOffset + 1n).toString();
          this.consumer.seek({ topic: this.topic, partition, offset: after });
        } else {
          this.consumer.seek({ topic: this.topic, partition, offset });
        }
        this.continueAt.delete(partition);
      }
      let tookAll = true;
      for (const [partition, held] of served) {
        if (read.finishing) {
          this.held.set(partition, held); // not reached: keep it for a later read
          continue;
        }
        tookAll = this.take(read, partition, held) && tookAll;
      }
      if (!tookAll) {
        this.finish(read);
      } else if (read.records.length > 0 && (read.more.size === 0 || this.holdsEnough(read))) {
        // Caught up, or already half an answer from memory: lingering would wait for a fetch that
        // only starts now (after a pause kafkajs's fetch loop sleeps up to fetchWaitMs before it
        // asks again), while the partition, resumed below, prefetches for the next request.
        setImmediate(() => this.finish(read));
      } else if (read.records.length > 0) {
        read.linger ??= setTimeout(() => this.finish(read), this.options.lingerMs);
      }
      if (!read.finishing && wanted.length > 0) {
        this.consumer.resume([{ topic: this.topic, partitions: wanted }]);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.active) this.finish(this.active);
    await this.consumer.disconnect();
  }

  private async onBatch({ batch, resolveOffset, isStale }: EachBatchPayload): Promise<void> {
    const read = this.active;
    const partition = batch.partition;
    if (isStale()) return; // fetched before the seek of the current read; it will be fetched again
    const fetched: HeldBatch = {
      messages: batch.messages,
      lastOffset: BigInt(batch.lastOffset()),
      highWatermark: BigInt(batch.highWatermark),
    };
    if (!read || read.finishing || !read.expected.has(partition)) {
      // Prefetched after a read ended: keep it for the request that continues there.
      const at = this.continueAt.get(partition);
      if (at !== undefined && !this.held.has(partition) && batch.messages.length > 0) {
        this.held.set(partition, {
          ...fetched,
          messages: batch.messages.filter((m) => BigInt(m.offset) >= at),
        });
        resolveOffset(batch.lastOffset());
      }
      this.consumer.pause([{ topic: this.topic, partitions: [partition] }]);
      return;
    }
    const tookAll = this.take(read, partition, fetched);
    // The consumer moves past the whole batch: what the read did not take is held.
    if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
    if (!tookAll) {
      this.finish(read);
    } else if (read.records.length > 0) {
      // Caught up with what the partition holds: nothing more to wait for (read committed stops
      // at the last stable offset, below the high watermark while a transaction is open: then
      // the linger ends the read).
      if (!read.more.has(partition)) setImmediate(() => this.finish(read));
      else read.linger ??= setTimeout(() => this.finish(read), this.options.lingerMs);
    }
  }

  /** At least half of the read's limit, in records or bytes. */
  private holdsEnough(read: ActiveRead): boolean {
    return read.records.length * 2 >= read.request.limit || read.bytes * 2 >= read.request.maxBytes;
  }

  /** Takes what fits of a batch into the read; false when the limit left some (then held). */
  private take(read: ActiveRead, partition: number, batch: HeldBatch): boolean {
    const { limit, maxBytes } = read.request;
    let next = read.expected.get(partition) ?? 0n;
    const messages = batch.messages;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as KafkaMessage;
      const offset = BigInt(message.offset);
      if (offset < next) continue;
      const bytes = recordBytes(message.key, message.value, message.headers);
      // The first record is always delivered, however large, or a client could never pass it.
      if (
        read.records.length >= limit ||
        (read.records.length > 0 && read.bytes + bytes > maxBytes)
      ) {
        read.expected.set(partition, next);
        this.held.set(partition, { ...batch, messages: messages.slice(i) });
        read.more.add(partition);
        return false;
      }
      read.records.push({
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key ?? null,
        value: message.value,
        headers: message.headers ?? {},
        bytes,
      });
      read.bytes += bytes;
      next = offset + 1n;
    }
    // Past a trailing transaction marker too, so the client's next offset does not point at it.
    if (messages.length > 0 && batch.lastOffset + 1n > next) next = batch.lastOffset + 1n;
    read.expected.set(partition, next);
    if (next < batch.highWatermark) read.more.add(partition);
    else read.more.delete(partition);
    return true;
  }

  private finish(read: ActiveRead): void {
    if (read.finishing) return;
    read.finishing = true;
    clearTimeout(read.timer);
    clearTimeout(read.linger);
    if (this.active === read) this.active = undefined;
    for (const [partition, next] of read.expected) this.continueAt.set(partition, next);
    if (this.failure === undefined && !this.closed) {
      // Keep fetching (one batch, then held) only where more records are known to be there and
      // none are held yet: a client reading on finds them without a seek and a round trip.
      const idle = this.partitions.filter((p) => this.held.has(p) || !read.more.has(p));
      this.consumer.pause([{ topic: this.topic, partitions: idle }]);
    }
    this.lastUsedAt = Date.now();
    read.resolve({
      records: read.records,
      next: new Map([...read.expected].map(([p, offset]) => [p, offset.toString()])),
    });
  }

  private fail(error: Error): void {
    this.failure = error;
    const read = this.active;
    if (read && !read.finishing) {
      read.finishing = true;
      clearTimeout(read.timer);
      clearTimeout(read.linger);
      this.active = undefined;
      read.reject(error);
    }
  }
}

/**
 * Bytes of key, value and the tenant's own headers: what produce counts, so both directions bill
 * alike (the headers the gateway adds are the platform's, not billed).
 */
export function recordBytes(
  key: Buffer | null | undefined,
  value: Buffer | null,
  headers: IHeaders | undefined,
): number {
  let bytes = (key?.length ?? 0) + (value?.length ?? 0);
  for (const [name, header] of Object.entries(headers ?? {})) {
    if (isPlatformHeader(name)) continue;
    const values = Array.isArray(header) ? header : [header];
    for (const item of values) {
      if (item !== undefined) bytes += Buffer.byteLength(name) + Buffer.byteLength(item);
    }
  }
  return bytes;
}
