import { Inject, Injectable } from '@nestjs/common';
import type { Offsets } from 'kafkajs';
import { ACKS_ALL, KafkaProducer } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { ProcessorMetrics } from '../metrics/processor.metrics';
import {
  CommandBatchProcessor,
  type PartitionChunk,
  type ChunkOutcome,
} from './command-batch.processor';

export interface ChunkResult {
  /** Last offset of the chunk that is applied, answered and committed. */
  lastDoneOffset?: string;
  /** Set when Postgres is unreachable: the rest of the chunk is untouched. */
  haltedBy?: string;
}

interface Submission {
  chunk: PartitionChunk;
  /** The eachBatch payload's commit: unlike `consumer.commitOffsets` it still commits while stopping. */
  commit: (offsets: Offsets) => Promise<void>;
  resolve: (result: ChunkResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups the chunks that kafkajs hands to concurrent `eachBatch` calls in the same turn of the
 * event loop (the partitions of one fetch) into one unit. Each partition's chunk is applied in its
 * own transaction, all of them concurrently (they touch different users, and Postgres works them
 * on several backends); then every reply and dead letter of the unit goes out in ONE produce request
 * (acks=all) and every partition's offset in ONE commit. kafkajs's idempotent producer allows a
 * single request in flight, so per-partition sends would queue behind each other; on a small box
 * round trips, not bytes, are the cost. Records are committed only after their transaction and
 * their replies were acknowledged.
 */
@Injectable()
export class BatchCoalescer {
  private pending: Submission[] = [];
  private flushScheduled = false;

  constructor(
    @Inject(PROCESSOR_SETTINGS) private readonly settings: ProcessorSettings,
    private readonly processor: CommandBatchProcessor,
    private readonly producer: KafkaProducer,
    private readonly metrics: ProcessorMetrics,
  ) {}

  submit(chunk: PartitionChunk, commit: Submission['commit']): Promise<ChunkResult> {
    return new Promise<ChunkResult>((resolve, reject) => {
      this.pending.push({ chunk, commit, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the microtasks of this turn: every eachBatch kafkajs started together has submitted.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const unit = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    try {
      const timer = new PhaseTimer();
      const outcomes = await Promise.all(unit.map((s) => this.processor.process(s.chunk)));
      this.metrics.batchPhase.observe({ phase: 'apply' }, timer.lap());
      await this.send(outcomes);
      this.metrics.batchPhase.observe({ phase: 'send' }, timer.lap());
      await this.commit(unit, outcomes);
      this.metrics.batchPhase.observe({ phase: 'commit' }, timer.lap());
      this.metrics.batchSize.observe(unit.reduce((n, s) => n + s.chunk.messages.length, 0));
      const mode = outcomes.some((o) => o.mode === 'one-by-one') ? 'one-by-one' : 'together';
      this.metrics.batchDuration.observe({ mode }, timer.total());
      unit.forEach(({ resolve }, i) => {
        const { lastDoneOffset, haltedBy } = outcomes[i] ?? {};
        resolve({ lastDoneOffset, haltedBy });
      });
    } catch (error) {
      for (const { reject } of unit) reject(error);
    }
  }

  private async send(outcomes: ChunkOutcome[]): Promise<void> {
    const topicMessages = [
      { topic: this.settings.replyTopic, messages: outcomes.flatMap((o) => o.replies) },
      { topic: this.settings.dlqTopic, messages: outcomes.flatMap((o) => o.deadLetters) },
    ].filter((t) => t.messages.length > 0);
    if (topicMessages.length > 0)
      await this.producer.producer.sendBatch({ topicMessages, acks: ACKS_ALL });
  }

  private async commit(unit: Submission[], outcomes: ChunkOutcome[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    unit.forEach(({ chunk }, i) => {
      const last = outcomes[i]?.lastDoneOffset;
      if (last === undefined) return;
      const partitions = byTopic.get(chunk.topic) ?? [];
      // The committed offset is the next record to read.
      partitions.push({ partition: chunk.partition, offset: (BigInt(last) + 1n).toString() });
      byTopic.set(chunk.topic, partitions);
    });
    const first = unit[0];
    if (byTopic.size === 0 || !first) return;
    await first.commit({
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
  }
}

/** Seconds since the previous lap, and since the start. */
class PhaseTimer {
  private readonly start = process.hrtime.bigint();
  private last = this.start;

  lap(): number {
    const now = process.hrtime.bigint();
    const seconds = Number(now - this.last) / 1e9;
    this.last = now;
    return seconds;
  }

  total(): number {
    return Number(process.hrtime.bigint() - this.start) / 1e9;
  }
}
