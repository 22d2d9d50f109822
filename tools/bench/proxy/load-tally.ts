import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from '../support/percentiles';

/**
 * What one side (HTTP or raw kafkajs) of a phase did, summed over its interleaved rounds: the
 * records and bytes, the wall time of its own rounds only, request latencies and failures.
 */
export class LoadTally {
  records = 0;
  valueBytes = 0;
  requests = 0;
  seconds = 0;
  readonly latenciesMs: number[] = [];
  /** Failures by HTTP status (or `network: …`); any entry fails the bench. */
  readonly errors: Record<string, number> = {};

  /** Runs one round and adds its wall time. */
  async time<T>(round: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await round();
    } finally {
      this.seconds += (performance.now() - started) / 1000;
    }
  }

  fail(reason: string): void {
    this.errors[reason] = (this.errors[reason] ?? 0) + 1;
  }

  get errorCount(): number {
    return Object.values(this.errors).reduce((sum, n) => sum + n, 0);
  }

  summary(): TallySummary {
    return {
      records: this.records,
      requests: this.requests,
      seconds: round(this.seconds, 3),
      recordsPerSecond: Math.round(this.records / this.seconds),
      mibPerSecond: round(this.valueBytes / (1024 * 1024) / this.seconds, 2),
      latencyMs: summarize(this.latenciesMs),
      errors: { ...this.errors },
    };
  }
}

export interface TallySummary {
  records: number;
  requests: number;
  seconds: number;
  recordsPerSecond: number;
  /** Record values only (what the client asked to move), in MiB/s. */
  mibPerSecond: number;
  latencyMs: LatencySummary;
  errors: Record<string, number>;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
