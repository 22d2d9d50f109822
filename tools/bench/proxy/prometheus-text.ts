/** Series of a Prometheus text exposition: `name{labels}` → value. */
export type Samples = Map<string, number>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

export function parseSamples(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

/** What accumulated between two scrapes (counters and histograms only grow while a process lives). */
export function difference(after: Samples, before: Samples): Samples {
  const delta: Samples = new Map();
  for (const [series, value] of after) delta.set(series, value - (before.get(series) ?? 0));
  return delta;
}

/** The sum of every series of `name` whose labels contain each of `labels` (e.g. `outcome="x"`). */
export function total(samples: Samples, name: string, ...labels: string[]): number {
  let sum = 0;
  for (const [series, value] of samples) {
    if (!matches(series, name, labels)) continue;
    sum += value;
  }
  return sum;
}

export interface HistogramDelta {
  count: number;
  sum: number;
  mean: number;
  /** Estimated like Prometheus's histogram_quantile: linear within the bucket. */
  p50: number;
  p99: number;
}

export function histogram(samples: Samples, name: string, ...labels: string[]): HistogramDelta {
  const count = total(samples, `${name}_count`, ...labels);
  const sum = total(samples, `${name}_sum`, ...labels);
  const buckets = new Map<number, number>();
  for (const [series, value] of samples) {
    if (!matches(series, `${name}_bucket`, labels)) continue;
    const le = /le="([^"]+)"/.exec(series)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  return {
    count,
    sum,
    mean: count > 0 ? sum / count : NaN,
    p50: quantile(sorted, 0.5, count),
    p99: quantile(sorted, 0.99, count),
  };
}

function quantile(buckets: [number, number][], q: number, count: number): number {
  if (count === 0) return NaN;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      // The top bucket has no upper bound: answer its lower one, as Prometheus does.
      if (bound === Infinity) return lowerBound;
      const inBucket = cumulative - lowerCount;
      return lowerBound + (bound - lowerBound) * ((rank - lowerCount) / (inBucket || 1));
    }
    lowerBound = bound;
    lowerCount = cumulative;
  }
  return lowerBound;
}

function matches(series: string, name: string, labels: string[]): boolean {
  const brace = series.indexOf('{');
  const seriesName = brace < 0 ? series : series.slice(0, brace);
  return seriesName === name && labels.every((label) => series.includes(label));
}
