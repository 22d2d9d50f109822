export type SampledApp = 'gateway' | 'processor' | 'monitor';

/** One sparkline: a metric of one app, as a per-second rate (counters) or as is (gauges). */
export interface SeriesDefinition {
  id: string;
  label: string;
  app: SampledApp;
  metric: string;
  kind: 'rate' | 'gauge';
}

/** The page's sparklines: throughput along the command path, and how far each consumer is behind. */
export const PLATFORM_SERIES: readonly SeriesDefinition[] = [
  {
    id: 'commandsAccepted',
    label: 'Commands accepted /s (gateway)',
    app: 'gateway',
    metric: 'gateway_commands_accepted_total',
    kind: 'rate',
  },
  {
    id: 'commandsProcessed',
    label: 'Commands processed /s (processor)',
    app: 'processor',
    metric: 'processor_commands_total',
    kind: 'rate',
  },
  {
    id: 'recordsMonitored',
    label: 'Records read /s (monitor)',
    app: 'monitor',
    metric: 'monitor_records_read_total',
    kind: 'rate',
  },
  {
    id: 'processorLag',
    label: 'Processor lag (records)',
    app: 'processor',
    metric: 'processor_consumer_lag',
    kind: 'gauge',
  },
  {
    id: 'monitorLag',
    label: 'Monitor lag (records)',
    app: 'monitor',
    metric: 'monitor_consumer_lag_records',
    kind: 'gauge',
  },
];

/** One scrape of every series' raw value (undefined: the app did not answer or lacks the metric). */
export interface RawSample {
  at: number;
  values: Record<string, number | undefined>;
}

export interface SeriesPoint {
  at: string;
  /** null where no value could be read or derived: the sparkline shows a gap, not a zero. */
  value: number | null;
}

export interface SeriesView {
  id: string;
  label: string;
  kind: 'rate' | 'gauge';
  points: SeriesPoint[];
}

/**
 * Turns consecutive raw samples into the points of each series. A rate needs two samples, so it
 * has one point fewer; a counter that went down was reset (its app restarted), and, as Prometheus'
 * rate() does, its new value is taken as the increase since.
 */
export function seriesFromSamples(
  samples: readonly RawSample[],
  definitions: readonly SeriesDefinition[] = PLATFORM_SERIES,
): SeriesView[] {
  return definitions.map((definition) => ({
    id: definition.id,
    label: definition.label,
    kind: definition.kind,
    points:
      definition.kind === 'gauge'
        ? samples.map((s) => ({ at: iso(s.at), value: s.values[definition.id] ?? null }))
        : samples.slice(1).map((s, i) => ({
            at: iso(s.at),
            value: ratePerSecond(samples[i] as RawSample, s, definition.id),
          })),
  }));
}

function ratePerSecond(previous: RawSample, current: RawSample, id: string): number | null {
  const before = previous.values[id];
  const after = current.values[id];
  const seconds = (current.at - previous.at) / 1000;
  if (before === undefined || after === undefined || seconds <= 0) return null;
  const increase = after >= before ? after - before : after;
  return Math.round((increase / seconds) * 100) / 100;
}

const iso = (at: number) => new Date(at).toISOString();
