// Checks the monitoring deployment (deploy/prometheus, deploy/alertmanager, deploy/grafana)
// offline: the alert rules pass `promtool check rules` and their own `promtool test rules`, every
// dashboard query is valid PromQL, and every metric a query or a rule reads is one the apps really
// export (read from their metric declarations) or one an exporter of prometheus.yml exports
// (the lists in exporter-metrics/). promtool comes from tools/scripts/ensure-promtool.sh.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appMetrics, seriesNames } from './app-metrics';
import { grafanaToPromql, labelValuesMetric, metricNames } from './promql-metric-names';

const repoRoot = join(__dirname, '..', '..');
const deploy = (...path: string[]): string => join(repoRoot, 'deploy', ...path);
const rulesDir = deploy('prometheus', 'rules');
const dashboardsDir = deploy('grafana', 'dashboards');
const exportersDir = join(__dirname, 'exporter-metrics');

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}
interface Target {
  expr?: string;
  refId: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; query: string | { query: string } }[] };
}

const ruleFiles = readdirSync(rulesDir).filter(
  (file) => file.endsWith('.yml') && !file.endsWith('.test.yml'),
);
const rules: AlertRule[] = ruleFiles.flatMap((file) =>
  (parse(readFileSync(join(rulesDir, file), 'utf8')) as RuleFile).groups.flatMap((g) => g.rules),
);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const dashboards: Dashboard[] = readdirSync(dashboardsDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as Dashboard);

/** Every query of every dashboard, with where it is (for failure messages). */
const dashboardQueries = dashboards.flatMap((dashboard) => [
  ...dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `${dashboard.title} › ${panel.title} (${target.refId})`,
      expr: grafanaToPromql(target.expr ?? ''),
    })),
  ),
  ...dashboard.templating.list.map((variable) => {
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    return {
      where: `${dashboard.title} › $${variable.name}`,
      expr: labelValuesMetric(query) ?? query,
    };
  }),
]);

function exporterMetrics(): Map<string, string> {
  const known = new Map<string, string>();
  for (const file of readdirSync(exportersDir).filter((f) => f.endsWith('.txt')))
    for (const line of readFileSync(join(exportersDir, file), 'utf8').split('\n')) {
      const name = line.replace(/#.*/, '').trim();
      if (name) known.set(name, file);
    }
  return known;
}

function promtool(...args: string[]): string {
  const binary = execFileSync('bash', [join(repoRoot, 'tools/scripts/ensure-promtool.sh')], {
    encoding: 'utf8',
  }).trim();
  try {
    return execFileSync(binary, args, { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('the apps’ metrics, as their code declares them', () => {
  const metrics = appMetrics(repoRoot);
  const byName = new Map(metrics.map((m) => [m.name, m]));

  it('are found in the declarations of every app and of the shared libraries', () => {
    // A few from each place, so that finding none (a broken search) cannot pass the checks below.
    expect(byName.get('http_request_duration_seconds')).toMatchObject({
      type: 'histogram',
      declaredIn: 'libs/observability/src/http-metrics.ts',
    });
    expect(byName.get('gateway_produce_records_total')?.type).toBe('counter');
    expect(byName.get('processor_command_duration_seconds')?.type).toBe('histogram');
    expect(byName.get('processor_billing_bytes_total')?.type).toBe('counter');
    expect(byName.get('monitor_mode')?.type).toBe('gauge');
    expect(byName.get('auth_failures_total')?.type).toBe('counter');
    expect(byName.get('process_cpu_seconds_total')?.declaredIn).toBe(
      'prom-client collectDefaultMetrics',
    );
  });

  it('keep user, payment and correlation ids out of their labels', () => {
    expect(byName.get('processor_billing_records_total')?.labelNames).toEqual(['tenant', 'action']);
    const labelled = metrics
      .map((m) => ({ m, labels: m.labelNames }))
      .filter(({ labels }) =>
        labels.some((l) => /user|payment|correlation|client|event_?id|request_?id/i.test(l)),
      )
      .map(({ m, labels }) => `${m.name}{${labels.join(',')}}`);
    expect(labelled).toEqual([]);
  });
});

describe('the monitoring queries', () => {
  const exported = new Map<string, string>();
  for (const metric of appMetrics(repoRoot))
    for (const series of seriesNames(metric)) exported.set(series, metric.declaredIn);
  for (const [name, source] of exporterMetrics()) exported.set(name, source);

  const unknownNames = (expr: string): string[] =>
    metricNames(expr).filter((name) => !exported.has(name));

  it('extracts metric names from PromQL the way the checks below rely on', () => {
    expect(
      metricNames(
        'sum by (service) (rate(http_request_duration_seconds_count{status_code=~"5.."}[5m])) / on (service) group_left sum(up{job="a"}) > 0.01 and monitor_mode offset 5m',
      ),
    ).toEqual(['http_request_duration_seconds_count', 'monitor_mode', 'up']);
    expect(metricNames('histogram_quantile(0.95, sum by (le) (rate(x_bucket[1m])))')).toEqual([
      'x_bucket',
    ]);
    expect(grafanaToPromql('rate(a_total{tenant=~"$tenant"}[$__rate_interval])')).toBe(
      'rate(a_total{tenant=~".*"}[5m])',
    );
    expect(labelValuesMetric('label_values(a_total, tenant)')).toBe('a_total');
  });

  it.each(alerts.map((rule) => [rule.alert, rule.expr] as const))(
    'alert %s reads only exported metrics',
    (_alert, expr) => {
      expect(unknownNames(expr)).toEqual([]);
    },
  );

  it('dashboard queries read only exported metrics', () => {
    const unknown = dashboardQueries
      .map(({ where, expr }) => ({ where, unknown: unknownNames(expr) }))
      .filter(({ unknown }) => unknown.length > 0);
    expect(unknown).toEqual([]);
  });

  it('the exporters listed are the jobs prometheus.yml scrapes besides the apps', () => {
    const jobs = (
      parse(readFileSync(deploy('prometheus', 'prometheus.yml'), 'utf8')) as {
        scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
      }
    ).scrape_configs.map((job) => `${job.job_name} ${job.static_configs[0]?.targets[0]}`);
    expect(jobs).toEqual([
      'gateway gateway:8000',
      'processor processor:8001',
      'monitor monitor:8002',
      'kafka kafka-exporter:9308',
      'rabbitmq rabbitmq:15692',
      'elasticsearch elasticsearch-exporter:9114',
      'prometheus localhost:9090',
    ]);
    expect(
      readdirSync(exportersDir)
        .filter((f) => f.endsWith('.txt'))
        .sort(),
    ).toEqual([
      'elasticsearch-exporter.txt',
      'kafka-exporter.txt',
      'prometheus.txt',
      'rabbitmq.txt',
    ]);
  });
});

describe('the alert rules', () => {
  it('pass promtool check rules', () => {
    expect(promtool('check', 'rules', ...ruleFiles.map((f) => join(rulesDir, f)))).toMatch(
      /SUCCESS/,
    );
  });

  it('fire and stay silent as their promtool unit tests expect', () => {
    const tests = readdirSync(rulesDir).filter((file) => file.endsWith('.test.yml'));
    expect(tests.length).toBeGreaterThan(0);
    expect(promtool('test', 'rules', ...tests.map((f) => join(rulesDir, f)))).toMatch(/SUCCESS/);
  });

  it('cover what an on-call engineer must be woken for', () => {
    expect(alerts.map((rule) => rule.alert).sort()).toEqual([
      'EventHubAppDown',
      'EventHubBillingAggregatorBehind',
      'EventHubBrokerDown',
      'EventHubConsumerLagGrowing',
      'EventHubDeadLetterTopicNotEmpty',
      'EventHubDeadLettersWritten',
      'EventHubHttp5xxAbove1Percent',
      'EventHubMonitorFallbackBacklog',
      'EventHubMonitorPaused',
      'EventHubMonitorSpilling',
      'EventHubProcessorConsumerPaused',
    ]);
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))(
    '%s has a severity, a summary and a runbook',
    (_alert, rule) => {
      expect(rule.labels?.severity).toMatch(/^(page|warn)$/);
      expect(rule.annotations?.summary).toBeTruthy();
      expect((rule.annotations?.runbook ?? '').length).toBeGreaterThan(80);
    },
  );

  it('are loaded by prometheus.yml, which passes promtool check config, and reach Alertmanager', () => {
    const config = parse(readFileSync(deploy('prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual([
      'alertmanager:9093',
    ]);
    expect(
      promtool('check', 'config', '--syntax-only', deploy('prometheus', 'prometheus.yml')),
    ).toMatch(/SUCCESS/);
  });
});

describe('Alertmanager', () => {
  it('routes every alert to a declared receiver, with the config compose mounts', () => {
    const config = parse(readFileSync(deploy('alertmanager', 'alertmanager.yml'), 'utf8')) as {
      route: { receiver: string; routes?: { receiver?: string }[] };
      receivers: { name: string }[];
    };
    const declared = config.receivers.map((r) => r.name);
    const used = [config.route.receiver, ...(config.route.routes ?? []).map((r) => r.receiver)];
    expect(used.filter((name) => name !== undefined && !declared.includes(name))).toEqual([]);
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yaml'), 'utf8')) as {
      services: Record<string, { volumes?: string[]; depends_on?: Record<string, unknown> }>;
    };
    expect(compose.services.alertmanager?.volumes).toContain(
      './deploy/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro',
    );
    expect(compose.services.prometheus?.volumes).toContain(
      './deploy/prometheus/rules:/etc/prometheus/rules:ro',
    );
  });
});

describe('the Grafana dashboards', () => {
  it('are the six an on-call engineer opens, each with its own uid', () => {
    expect(dashboards.map((d) => d.title).sort()).toEqual([
      'Event Hub / Billing',
      'Event Hub / Command latency and failures',
      'Event Hub / Consumer lag',
      'Event Hub / Monitor and fallback',
      'Event Hub / Platform overview',
      'Event Hub / Tenant and topic throughput',
    ]);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
  });

  it('query the provisioned Prometheus datasource by its uid', () => {
    const datasource = parse(
      readFileSync(deploy('grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string }[] };
    const uid = datasource.datasources[0]?.uid;
    const others = dashboards.flatMap((d) =>
      d.panels
        .flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)])
        .filter((ds) => ds?.uid !== uid)
        .map(() => d.title),
    );
    expect(others).toEqual([]);
  });

  it('give every panel at least one query and unique panel ids', () => {
    for (const dashboard of dashboards) {
      expect(dashboard.panels.filter((p) => (p.targets ?? []).length === 0)).toEqual([]);
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    }
  });

  it('are valid PromQL (promtool checks each query as a recording rule)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-queries-'));
    try {
      const file = join(dir, 'queries.yml');
      writeFileSync(
        file,
        JSON.stringify({
          groups: [
            {
              name: 'dashboard-queries',
              rules: dashboardQueries.map(({ expr }, i) => ({
                record: `dashboard_query:${i}`,
                expr,
              })),
            },
          ],
        }),
      );
      expect(promtool('check', 'rules', file)).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are loaded at Grafana start from the directory compose mounts', () => {
    const provider = parse(
      readFileSync(deploy('grafana', 'provisioning', 'dashboards', 'event-hub.yml'), 'utf8'),
    ) as { providers: { type: string; options: { path: string } }[] };
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yaml'), 'utf8')) as {
      services: Record<string, { volumes?: string[] }>;
    };
    const volumes = compose.services.grafana?.volumes ?? [];
    expect(provider.providers).toEqual([
      expect.objectContaining({ type: 'file', options: { path: '/var/lib/grafana-dashboards' } }),
    ]);
    expect(volumes).toContain('./deploy/grafana/dashboards:/var/lib/grafana-dashboards:ro');
    expect(volumes).toContain(
      './deploy/grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro',
    );
  });
});
