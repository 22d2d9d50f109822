import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '../../..');

function startWith(app: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [`dist/apps/${app}/main.js`], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30000,
  });
  const fatal = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; message: string; problems?: string[] })
    .find((line) => line.level === 'fatal');
  return { status: result.status, fatal };
}

describe('configuration validated at start', () => {
  it.each([
    [
      'gateway',
      { KAFKA_BROKERS: 'not-a-broker', GATEWAY_PORT: '99999' },
      ['KAFKA_BROKERS', 'GATEWAY_PORT'],
    ],
    ['processor', { DATABASE_URL: 'mysql://nope' }, ['DATABASE_URL']],
    [
      'processor',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318', OTEL_TRACES_SAMPLER_ARG: '2' },
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_TRACES_SAMPLER_ARG'],
    ],
    ['monitor', { ELASTICSEARCH_URL: '', LOG_LEVEL: 'chatty' }, ['ELASTICSEARCH_URL', 'LOG_LEVEL']],
  ])('%s refuses to start and names each bad variable', (app, env, names) => {
    const { status, fatal } = startWith(app, env);

    expect(status).toBe(1);
    expect(fatal?.message).toContain(`${app} failed to start: Invalid environment`);
    const named = (fatal?.problems ?? []).map((problem) => problem.split(' ')[0]);
    expect(named.sort()).toEqual([...names].sort());
  });
});
