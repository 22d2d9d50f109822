/** One entry of a terminus report (`details.<name>`), as every app's /health writes it. */
export interface HealthEntry {
  status: string;
  message?: string;
}

/** The body of an app's /health (200 or 503): its overall status and one entry per check. */
export interface HealthReportBody {
  status: string;
  details: Record<string, HealthEntry>;
}

/** What asking one app for its /health gave: its report, or why there was none. */
export type AppProbe =
  { reachable: true; report: HealthReportBody } | { reachable: false; error: string };

/** What the AMQP handshake with RabbitMQ gave, or that no address is configured. */
export type BrokerProbe =
  | { configured: false }
  | { configured: true; up: true }
  | { configured: true; up: false; error: string };

export type ComponentState = 'up' | 'degraded' | 'down' | 'unknown' | 'not-configured';
export type ComponentKind = 'app' | 'broker' | 'database' | 'search';

export interface ComponentHealth {
  name: string;
  kind: ComponentKind;
  state: ComponentState;
  /** Why it is not up, in a sentence a person reads (never a stack or a credential). */
  detail?: string;
}

export interface PlatformHealth {
  /** `ok` when every configured component is up. */
  status: 'ok' | 'degraded';
  checkedAt: string;
  components: ComponentHealth[];
}

export interface PlatformProbes {
  gateway: AppProbe;
  processor: AppProbe;
  monitor: AppProbe;
  rabbitmq: BrokerProbe;
}

type AppName = 'gateway' | 'processor' | 'monitor';
const APPS: readonly AppName[] = ['gateway', 'processor', 'monitor'];

/**
 * The shared dependencies, each with the report entry that names it. No app's view is trusted
 * alone: Kafka and Postgres are checked by several apps, Elasticsearch by the monitor only.
 */
const DEPENDENCIES: readonly { name: string; entry: string; kind: ComponentKind }[] = [
  { name: 'Kafka', entry: 'kafka', kind: 'broker' },
  { name: 'Postgres', entry: 'postgres', kind: 'database' },
  { name: 'Elasticsearch', entry: 'elasticsearch', kind: 'search' },
];

const MAX_DETAIL = 200;

/**
 * The platform's health from what each app reports: an app is up when its whole report is, degraded
 * when it answers but one of its entries is down, down when it does not answer. A dependency is
 * down as soon as one app sees it down (the detail says which), up when every app checking it sees
 * it up, and unknown when no app that checks it answered.
 */
export function aggregatePlatformHealth(probes: PlatformProbes, now: Date): PlatformHealth {
  const components: ComponentHealth[] = [
    ...APPS.map((app) => appHealth(app, probes[app])),
    ...DEPENDENCIES.map((dependency) => dependencyHealth(dependency, probes)),
    rabbitHealth(probes.rabbitmq),
  ];
  const degraded = components.some((c) => c.state !== 'up' && c.state !== 'not-configured');
  return { status: degraded ? 'degraded' : 'ok', checkedAt: now.toISOString(), components };
}

function appHealth(app: AppName, probe: AppProbe): ComponentHealth {
  if (!probe.reachable) return { name: app, kind: 'app', state: 'down', detail: clip(probe.error) };
  const failing = Object.entries(probe.report.details)
    .filter(([, entry]) => entry.status !== 'up')
    .map(([name]) => name);
  if (probe.report.status === 'ok' && failing.length === 0) {
    return { name: app, kind: 'app', state: 'up' };
  }
  const detail =
    failing.length > 0 ? `${failing.join(', ')} down` : `reports ${probe.report.status}`;
  return { name: app, kind: 'app', state: 'degraded', detail: clip(detail) };
}

function dependencyHealth(
  dependency: (typeof DEPENDENCIES)[number],
  probes: PlatformProbes,
): ComponentHealth {
  const seen = APPS.flatMap((app) => {
    const probe = probes[app];
    const entry = probe.reachable ? probe.report.details[dependency.entry] : undefined;
    return entry ? [{ app, entry }] : [];
  });
  const base = { name: dependency.name, kind: dependency.kind };
  if (seen.length === 0) {
    return { ...base, state: 'unknown', detail: 'no app that checks it answered' };
  }
  const down = seen.filter(({ entry }) => entry.status !== 'up');
  if (down.length === 0) return { ...base, state: 'up' };
  const detail = down
    .map(
      ({ app, entry }) =>
        `${app}: ${typeof entry.message === 'string' ? entry.message : entry.status}`,
    )
    .join('; ');
  return { ...base, state: 'down', detail: clip(detail) };
}

function rabbitHealth(probe: BrokerProbe): ComponentHealth {
  const base = { name: 'RabbitMQ', kind: 'broker' as const };
  if (!probe.configured) {
    return { ...base, state: 'not-configured', detail: 'PLATFORM_RABBITMQ_URL is empty' };
  }
  return probe.up
    ? { ...base, state: 'up' }
    : { ...base, state: 'down', detail: clip(probe.error) };
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

/** Whether a JSON body has the shape of a terminus report (apps answer 503 with one too). */
export function isHealthReport(body: unknown): body is HealthReportBody {
  if (typeof body !== 'object' || body === null) return false;
  const { status, details } = body as { status?: unknown; details?: unknown };
  if (typeof status !== 'string' || typeof details !== 'object' || details === null) return false;
  return Object.values(details).every(
    (entry) =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as { status?: unknown }).status === 'string',
  );
}
