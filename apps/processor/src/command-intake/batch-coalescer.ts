import { Inject, Injectable } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import { ACKS_ALL, KafkaProducer, sendSpans, traceForSend } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { ProcessorMetrics } from '../metrics/processor.metrics';
import {
  CommandBatchProcessor,
  type PartitionChunk,
  type ChunkOutcome,
} from './command-batch.processor';

export interface ChunkResult {
  /** Last offset of the chunk that is applied and answered (the transport commits it). */
  lastDoneOffset?: string;
  /** Set when Postgres is unreachable: the rest of the chunk is untouched. */
  haltedBy?: string;
}

interface Submission {
  chunk: PartitionChunk;
  resolve: (result: ChunkResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups the chunks that kafkajs hands to concurrent `eachBatch` calls in the same turn of the
 * event loop (the partitions of one fetch) into one unit. The unit's chunks are applied in ONE
 * transaction (CommandBatchProcessor.processUnit: at a moderate rate a partition's chunk holds a
 * command or two, and a transaction per partition cost its round trips per command); then every
 * reply and dead letter of the unit goes out in ONE produce request
 * (acks=all), and the KafkaBatchServer commits every partition's offset of the unit in ONE request
 * once the handlers return. kafkajs's idempotent producer allows a single request in flight, so
 * per-partition sends would queue behind each other; on a small box round trips, not bytes, are the
 * cost. Records are committed only after their transaction and their replies were acknowledged.
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

  submit(chunk: PartitionChunk): Promise<ChunkResult> {
    return new Promise<ChunkResult>((resolve, reject) => {
      this.pending.push({ chunk, resolve, reject });
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
      const outcomes = await this.processor.processUnit(unit.map((s) => s.chunk));
      this.metrics.batchPhase.observe({ phase: 'apply' }, timer.lap());
      await this.send(outcomes);
      this.metrics.batchPhase.observe({ phase: 'send' }, timer.lap());
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
    const spans: Span[] = [];
    const topicMessages = [
      { topic: this.settings.replyTopic, messages: outcomes.flatMap((o) => o.replies) },
      { topic: this.settings.dlqTopic, messages: outcomes.flatMap((o) => o.deadLetters) },
    ]
      .filter((t) => t.messages.length > 0)
      .map(({ topic, messages }) => ({
        topic,
        messages: messages.map((message) => traceForSend(topic, message, spans)),
      }));
    if (topicMessages.length === 0) return;
    const sent = sendSpans(spans);
    try {
      await this.producer.producer.sendBatch({ topicMessages, acks: ACKS_ALL });
      sent.end();
    } catch (error) {
      sent.end(error);
      throw error;
    }
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
