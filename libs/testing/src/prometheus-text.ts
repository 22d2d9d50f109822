/** Metric name → type (`counter`, `gauge`, `histogram`, …), as a `/metrics` page declares them. */
export type MetricFamilies = Record<string, string>;

/** What a test checks of one `/metrics` answer. */
export interface Scrape {
  status: number;
  contentType: string | undefined;
  /** Every metric family the page declares (its `# TYPE` lines). */
  families: MetricFamilies;
  /** The `service` label of the page's series (read on the process CPU counter). */
  service: string | undefined;
}

/** Sums up an answer to `GET /metrics` (as `inject` or `fetch` gives it) for one assertion. */
export function summarizeScrape(answer: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}): Scrape {
  const families: MetricFamilies = {};
  for (const [, name, type] of answer.body.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    families[name as string] = type as string;
  const contentType = answer.headers['content-type'];
  return {
    status: answer.statusCode,
    contentType: typeof contentType === 'string' ? contentType : undefined,
    families,
    service: /^process_cpu_user_seconds_total\{[^}]*service="([^"]*)"/m.exec(answer.body)?.[1],
  };
}

/** The content type of Prometheus' text format, version 0.0.4. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Node's default metrics (prom-client's `collectDefaultMetrics`) that dashboards of any service
 * read: CPU, memory, start time, event loop lag, heap, open handles and the Node version.
 */
export const NODE_DEFAULT_METRICS: MetricFamilies = {
  process_cpu_user_seconds_total: 'counter',
  process_cpu_system_seconds_total: 'counter',
  process_cpu_seconds_total: 'counter',
  process_start_time_seconds: 'gauge',
  process_resident_memory_bytes: 'gauge',
  process_open_fds: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_active_handles_total: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_heap_size_total_bytes: 'gauge',
  nodejs_external_memory_bytes: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
  nodejs_version_info: 'gauge',
};

/**
 * The value of the series of `name` whose labels include every one of `labels` (whatever the
 * others and their order), or undefined when the page has none. Several matching series add up.
 */
export function seriesValue(
  body: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  let total: number | undefined;
  for (const [, seriesName, labelText = '', value] of body.matchAll(
    /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/gm,
  )) {
    if (seriesName !== name) continue;
    const present = new Map(
      [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
    );
    if (Object.entries(labels).every(([k, v]) => present.get(k) === v))
      total = (total ?? 0) + Number(value);
  }
  return total;
}
