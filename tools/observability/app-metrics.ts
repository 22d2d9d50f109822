import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { collectDefaultMetrics, register, Registry, type Metric } from 'prom-client';

/** A registered metric as the registry lists it; prom-client keeps the label names on it too. */
type Registered = ReturnType<Registry['getMetricsAsArray']>[number];

/** A metric family an app exports: where it is declared and its type. */
export interface AppMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  labelNames: readonly string[];
  declaredIn: string;
}

const DECLARES_METRICS = /\bmake(?:Counter|Gauge|Histogram|Summary)Provider\(/;

/**
 * Every metric family the apps export, read from their own declarations rather than from a list:
 * each source file of apps/ and libs/ that calls a `make*Provider` of @willsoto/nestjs-prometheus
 * is loaded, and every provider its exported arrays hold is built on prom-client's default
 * registry the way Nest builds it, then read back with its type. A metric added, renamed or
 * removed in the code is seen here without editing anything. Node's default metrics, which every
 * app collects (libs/observability), come from prom-client's own `collectDefaultMetrics`.
 */
export function appMetrics(repoRoot: string): AppMetric[] {
  register.clear();
  const declaredIn = new Map<string, string>();
  for (const file of metricSourceFiles(repoRoot)) {
    const exported = require(file) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (!Array.isArray(value)) continue;
      for (const provider of value as unknown[]) {
        if (!isMetricProvider(provider)) continue;
        // Built like Nest does, without the injected dependencies a gauge's collect() would read
        // (collect is never called here).
        const metric = provider.useFactory(undefined) as Metric;
        declaredIn.set(metricName(metric), relative(repoRoot, file));
      }
    }
  }
  const metrics: AppMetric[] = register.getMetricsAsArray().map((metric) => ({
    name: metricName(metric),
    type: metricType(metric),
    labelNames: labelNames(metric),
    declaredIn: declaredIn.get(metricName(metric)) ?? '?',
  }));
  register.clear();

  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const metric of defaults.getMetricsAsArray())
    metrics.push({
      name: metricName(metric),
      type: metricType(metric),
      labelNames: labelNames(metric),
      declaredIn: 'prom-client collectDefaultMetrics',
    });
  defaults.clear();
  return metrics.sort((a, b) => a.name.localeCompare(b.name));
}

/** The series names a metric family puts on /metrics (a histogram's `_bucket`, `_sum`, `_count`). */
export function seriesNames(metric: AppMetric): string[] {
  switch (metric.type) {
    case 'histogram':
      return [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
    case 'summary':
      return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
    default:
      return [metric.name];
  }
}

function metricSourceFiles(repoRoot: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/(?<!\.spec|\.int-spec|\.e2e-spec)\.ts$/.test(entry) && !entry.endsWith('.d.ts'))
        if (DECLARES_METRICS.test(readFileSync(path, 'utf8'))) files.push(path);
    }
  };
  for (const top of ['apps', 'libs'])
    for (const project of readdirSync(join(repoRoot, top))) {
      const src = join(repoRoot, top, project, 'src');
      if (statSync(join(repoRoot, top, project)).isDirectory() && exists(src)) walk(src);
    }
  return files.sort();
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isMetricProvider(value: unknown): value is FactoryProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FactoryProvider).provide === 'string' &&
    ((value as FactoryProvider).provide as string).startsWith('PROM_METRIC_') &&
    typeof (value as FactoryProvider).useFactory === 'function'
  );
}

function labelNames(metric: Registered): readonly string[] {
  return (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
}

function metricName(metric: Metric | Registered): string {
  return (metric as unknown as { name: string }).name;
}

function metricType(metric: Registered): AppMetric['type'] {
  return String(metric.type) as AppMetric['type'];
}
