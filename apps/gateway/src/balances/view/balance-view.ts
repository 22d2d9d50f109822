import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AccountBalanceRecord } from '@event-hub/contracts';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { BalanceSnapshot } from './balance-snapshot';
import { BalanceState, type ApplyOutcome } from './balance-state';

export interface BalanceViewOptions {
  topic: string;
  snapshotPath: string;
  snapshotIntervalMs: number;
  /** Longest wait of a fetch with nothing new (a record ends it at once): the idle poll interval. */
  fetchMaxWaitMs?: number;
  /** Prefix of the view's private consumer group (a fresh one per start, never committed). */
  groupPrefix: string;
}

/** Where the view is, for /health, the metrics and the tests. */
export interface BalanceViewStatus {
  ready: boolean;
  /** How the view started: from a verified snapshot (`warm`) or from the topic alone (`cold`). */
  start: 'warm' | 'cold' | 'starting';
  /** Why a snapshot was not used (missing, or what failed its check). */
  rebuildReason?: string;
  /** Records read from the topic since this start. */
  recordsRead: number;
  /** Milliseconds from the start until the end offsets seen at start were reached. */
  caughtUpMs?: number;
  lag: number;
  accounts: number;
  failure?: string;
}

/** Hooks the view reports through (Prometheus in the app, nothing in a bare test). */
export interface BalanceViewObserver {
  /** Records of one batch by outcome (counted per batch: a rebuild reads millions). */
  recordsRead(outcomes: ReadonlyMap<ApplyOutcome | 'invalid', number>): void;
  snapshot(outcome: 'loaded' | 'missing' | 'invalid' | 'written' | 'failed'): void;
  progress(status: BalanceViewStatus): void;
}

/** Waits before a new consumer replaces one kafkajs gave up on: doubled per failure, capped. */
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30000;

const OUTCOMES: readonly (ApplyOutcome | 'invalid')[] = [
  'applied',
  'stale',
  'removed',
  'absent',
  'deferred',
  'invalid',
];

interface Waiter {
  minVersion: number;
  resolve: (record: AccountBalanceRecord) => void;
}

/**
 * The materialized view of the compacted balance topic: the latest record per account, kept in
 * memory and snapshotted to a local file with the offsets it stands at, so a restart reads only
 * what is new.
 *
 * kafkajs has no manual `assign()`: the view is the only member of a consumer group private to
 * this start (a fresh id, never committed), so it owns every partition without rebalances, and it
 * seeks each partition to the snapshot's offset when the group is joined (before the first fetch).
 */
export class BalanceView {
  private readonly logger = new Logger(BalanceView.name);
  private readonly state = new BalanceState();
  private readonly snapshot: BalanceSnapshot;
  /** Partition → next offset to read (what the state reflects). */
  private readonly positions = new Map<number, string>();
  /** Partition → end offset seen at start; emptied as partitions catch up. */
  private readonly pendingEnds = new Map<number, bigint>();
  /** Partition → latest high watermark seen (for the lag). */
  private readonly highWatermarks = new Map<number, bigint>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly readyWaiters = new Set<() => void>();
  private consumer?: Consumer;
  private timer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private restartDelayMs = RESTART_MIN_MS;
  private startedAt = 0;
  private positionsChanged = false;
  /** The first snapshot after a rebuild, written over many turns of the event loop. */
  private fullWrite?: Promise<void>;
  private stopped = false;
  private status: BalanceViewStatus = {
    ready: false,
    start: 'starting',
    recordsRead: 0,
    lag: 0,
    accounts: 0,
  };

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BalanceViewOptions,
    private readonly observer?: BalanceViewObserver,
  ) {
    this.snapshot = new BalanceSnapshot(options.snapshotPath, options.topic);
  }

  current(): BalanceViewStatus {
    return { ...this.status, lag: this.lag(), accounts: this.state.size };
  }

  get(accountId: string): AccountBalanceRecord | undefined {
    return this.state.get(accountId);
  }

  /** Resolves once the view caught up to the end offsets seen at start. */
  whenReady(): Promise<void> {
    if (this.status.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.add(resolve));
  }

  /**
   * Resolves with the account's record once the view holds `minVersion` or later, or with
   * undefined after `timeoutMs`.
   */
  async waitForVersion(
    accountId: string,
    minVersion: number,
    timeoutMs: number,
  ): Promise<AccountBalanceRecord | undefined> {
    const now = this.status.ready ? this.state.get(accountId) : undefined;
    if (now && now.version >= minVersion) return now;
    return new Promise((resolve) => {
      let set = this.waiters.get(accountId);
      if (!set) this.waiters.set(accountId, (set = new Set()));
      const waiters = set;
      const waiter: Waiter = {
        minVersion,
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        if (waiters.size === 0) this.waiters.delete(accountId);
        resolve(undefined);
      }, timeoutMs);
      waiters.add(waiter);
      // The view may already hold it while not yet ready: answer once it is.
      if (now === undefined && !this.status.ready) {
        void this.whenReady().then(() => {
          const record = this.state.get(accountId);
          if (record && record.version >= minVersion && waiters.delete(waiter)) {
            waiter.resolve(record);
          }
        });
      }
    });
  }

  async start(): Promise<void> {
    this.startedAt = Date.now();
    this.stopped = false;
    const admin = this.kafka.admin();
    await admin.connect();
    let watermarks: { partition: number; low: string; high: string }[];
    try {
      watermarks = await admin.fetchTopicOffsets(this.options.topic);
    } finally {
      await admin.disconnect();
    }
    this.restore(watermarks);
    if (this.status.start === 'cold') {
      // A compacted topic holds at most one live record per offset: room for that many accounts
      // up front, instead of growing the table as the rebuild fills it.
      this.state.reserve(
        watermarks.reduce((sum, { low, high }) => sum + Number(BigInt(high) - BigInt(low)), 0),
      );
    }
    for (const { partition, high } of watermarks) {
      const end = BigInt(high);
      this.highWatermarks.set(partition, end);
      if (BigInt(this.positions.get(partition) ?? '0') < end) this.pendingEnds.set(partition, end);
    }
    this.checkCaughtUp();
    this.timer = setInterval(() => this.writeSnapshot(), this.options.snapshotIntervalMs);
    this.timer.unref();
    await this.consume();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    clearTimeout(this.restartTimer);
    this.stopped = true;
    await this.consumer?.disconnect();
    await this.fullWrite;
    if (this.status.ready) this.writeSnapshot(true);
    this.snapshot.close();
  }

  /** The snapshot's state and offsets when it is whole and still fits the topic, else nothing. */
  private restore(watermarks: { partition: number; low: string; high: string }[]): void {
    this.state.clear();
    this.positions.clear();
    const loaded = this.snapshot.load();
    this.observer?.snapshot(loaded.status);
    let reason: string | undefined;
    if (loaded.status === 'missing') reason = 'no snapshot';
    else if (loaded.status === 'invalid') reason = loaded.reason;
    else {
      const { offsets } = loaded.snapshot;
      for (const { partition, low, high } of watermarks) {
        const at = offsets.get(partition);
        if (at === undefined) continue; // a partition added since: read from its start
        if (BigInt(at) > BigInt(high)) reason = `partition ${partition} is behind the snapshot`;
        else if (BigInt(at) < BigInt(low)) reason = `partition ${partition} lost records since`;
      }
      if (!reason) {
        for (const [index, bucket] of loaded.snapshot.buckets) {
          this.state.loadBucket(index, bucket.count, bucket.decode);
        }
        for (const [partition, offset] of offsets) this.positions.set(partition, offset);
      }
    }
    if (reason) {
      this.logger.warn(
        `balance snapshot not used (${reason}): rebuilding from ${this.options.topic}`,
      );
      this.snapshot.discard();
      this.state.clear();
      this.state.markAllChanged();
      this.positions.clear();
      this.status = { ...this.status, start: 'cold', rebuildReason: reason };
    } else {
      this.logger.log(`balance snapshot loaded: ${this.state.size} accounts`);
      this.status = { ...this.status, start: 'warm' };
    }
  }

  private async consume(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `${this.options.groupPrefix}.${randomUUID()}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      // A rebuild reads the whole topic: large fetches keep the round trips few.
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 500,
    });
    this.consumer = consumer;
    // Emitted after each join and before the next fetch: every (re)join resumes where the state
    // stands, never at the group's (absent) committed offsets.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // Reading again after a crash, even from a topic with nothing new to deliver.
      if (this.status.failure !== undefined) this.status = { ...this.status, failure: undefined };
      for (const [partition, offset] of this.positions) {
        consumer.seek({ topic: this.options.topic, partition, offset });
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.status = { ...this.status, failure: String(payload.error) };
      this.logger.error(`balance view consumer crashed: ${String(payload.error)}`);
      // kafkajs restarts after retriable errors only; a broker that stayed away longer than the
      // retries (a restart) ends its consumer for good, and the view would never read again.
      if (!payload.restart) this.scheduleRestart(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      // Never committed: the snapshot holds the positions. The batch's offsets are resolved when
      // eachBatch returns, which moves the consumer's own position on.
      autoCommit: false,
      eachBatch: async (payload) => this.onBatch(payload),
    });
  }

  private scheduleRestart(crashed: Consumer): void {
    if (this.stopped || this.consumer !== crashed) return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, RESTART_MAX_MS);
    this.restartTimer = setTimeout(() => void this.restart(crashed), delay);
  }

  /** A new consumer, seeked to the positions the state stands at (GROUP_JOIN), like the first. */
  private async restart(crashed: Consumer): Promise<void> {
    await crashed.disconnect().catch(() => undefined);
    if (this.stopped || this.consumer !== crashed) return;
    try {
      await this.consume();
      this.logger.log(`balance view consumer restarted on ${this.options.topic}`);
    } catch (error) {
      this.logger.error(`balance view consumer did not restart: ${String(error)}`);
      if (this.consumer) this.scheduleRestart(this.consumer);
    }
  }

  private onBatch({ batch, isStale }: EachBatchPayload): void {
    if (isStale()) return;
    // kafkajs (or the view) restarted the consumer after a crash and it reads again.
    if (this.status.failure !== undefined) this.status = { ...this.status, failure: undefined };
    this.restartDelayMs = RESTART_MIN_MS;
    const partition = batch.partition;
    // Counted in an array, not a Map per record: a rebuild goes through here a million times.
    const counts = OUTCOMES.map(() => 0);
    const notifying = this.status.ready && this.waiters.size > 0;
    for (const message of batch.messages) {
      const outcome = this.state.ingest(message.key, message.value, message.headers);
      if (typeof outcome === 'object') {
        counts[OUTCOMES.indexOf('invalid')]++;
        this.logger.warn(
          `skipped balance record ${this.options.topic}/${partition}@${message.offset}: ${outcome.invalid}`,
        );
        continue;
      }
      counts[OUTCOMES.indexOf(outcome)]++;
      if (notifying && (outcome === 'applied' || outcome === 'deferred') && message.key) {
        this.notify(message.key.toString('utf8'));
      }
    }
    const outcomes = new Map<ApplyOutcome | 'invalid', number>();
    OUTCOMES.forEach((outcome, i) => {
      if ((counts[i] as number) > 0) outcomes.set(outcome, counts[i] as number);
    });
    this.observer?.recordsRead(outcomes);
    this.status.recordsRead += batch.messages.length;
    const next = BigInt(batch.lastOffset()) + 1n;
    if (next > BigInt(this.positions.get(partition) ?? '0')) {
      this.positions.set(partition, next.toString());
      this.positionsChanged = true;
    }
    this.highWatermarks.set(partition, BigInt(batch.highWatermark));
    const end = this.pendingEnds.get(partition);
    if (end !== undefined && next >= end) {
      this.pendingEnds.delete(partition);
      this.checkCaughtUp();
    }
    this.observer?.progress(this.current());
  }

  private notify(accountId: string): void {
    if (!this.status.ready) return; // answered once ready (see waitForVersion)
    const waiters = this.waiters.get(accountId);
    if (!waiters) return;
    // Read back rather than taken from the record: a deferred change is applied (or found stale)
    // when its bucket is decoded, which this read does.
    const record = this.state.get(accountId);
    if (!record) return;
    for (const waiter of waiters) {
      if (record.version >= waiter.minVersion) {
        waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
    if (waiters.size === 0) this.waiters.delete(accountId);
  }

  /** Decodes the snapshot's buckets one per turn of the event loop, so reads are never held long. */
  private decodeInBackground(): void {
    if (this.stopped) return;
    if (this.state.decodeOne()) setImmediate(() => this.decodeInBackground());
    else this.observer?.progress(this.current());
  }

  private checkCaughtUp(): void {
    if (this.status.ready || this.pendingEnds.size > 0) return;
    this.status = { ...this.status, ready: true, caughtUpMs: Date.now() - this.startedAt };
    this.logger.log(
      `balance view caught up: ${this.state.size} accounts, ${this.status.recordsRead} records read ` +
        `in ${this.status.caughtUpMs} ms (${this.status.start} start)`,
    );
    for (const resolve of this.readyWaiters) resolve();
    this.readyWaiters.clear();
    this.observer?.progress(this.current());
    // Written at once, so a restart right after a rebuild is already warm.
    if (this.status.start === 'cold') this.fullWrite = this.writeFullSnapshot();
    else setImmediate(() => this.writeSnapshot());
    setImmediate(() => this.decodeInBackground());
  }

  private lag(): number {
    let lag = 0n;
    for (const [partition, high] of this.highWatermarks) {
      const at = BigInt(this.positions.get(partition) ?? '0');
      if (high > at) lag += high - at;
    }
    return Number(lag);
  }

  /**
   * Writes what changed since the last snapshot. Runs between batches (the state and positions
   * agree there), and only once ready: a snapshot of a half-read topic would be as good, but the
   * first full write after a rebuild is the expensive one and should not slow the catch-up.
   */
  private writeSnapshot(final = false): void {
    if (!this.status.ready || this.fullWrite) return;
    // Writing needs the changed buckets decoded: wait for the background decoding rather than
    // decode them all at once here, except at shutdown.
    if (this.state.hasUndecoded() && !final) return;
    if (!this.state.hasChanges() && !this.positionsChanged) return;
    try {
      this.snapshot.write(
        () => this.state.takeChangedBuckets(),
        () => this.state.takeAllBuckets(),
        this.positions,
      );
      this.positionsChanged = false;
      this.observer?.snapshot('written');
    } catch (error) {
      this.snapshotFailed(error);
    }
  }

  /** Written again in full next time: the buckets taken for the write may be missing from the file. */
  private snapshotFailed(error: unknown): void {
    this.state.markAllChanged();
    this.positionsChanged = true;
    this.observer?.snapshot('failed');
    this.logger.warn(`balance snapshot not written: ${String(error)}`);
  }

  /**
   * The first snapshot after a rebuild holds every account: encoded in slices (see
   * {@link BalanceSnapshot.writeAll}) from a copy taken with the positions, while batches go on
   * marking what they change for the next periodic write.
   */
  private async writeFullSnapshot(): Promise<void> {
    const buckets = this.state.takeAllBucketsLazily();
    const offsets = new Map(this.positions);
    this.positionsChanged = false;
    try {
      await this.snapshot.writeAll(buckets, offsets);
      this.observer?.snapshot('written');
    } catch (error) {
      this.snapshotFailed(error);
    } finally {
      this.fullWrite = undefined;
    }
  }
}
