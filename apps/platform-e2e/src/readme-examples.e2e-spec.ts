import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import {
  bootstrapAdmin,
  createTestDatabase,
  deleteTestTopics,
  uniqueName,
  uniqueTenantId,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess, REPO_ROOT } from './support/app-process';
import { deleteMonitorIndices } from './support/monitor-indices';
import { createHubTopics, hubGatewayEnv, hubProcessorEnv, hubTopics } from './support/hub-apps';
import {
  fillPlaceholders,
  fromTest,
  isRead,
  judge,
  toTest,
  type CommandVerdict,
  type Deployment,
} from './readme-examples/command-check';
import { writeDemoClient } from './readme-examples/demo-client';
import {
  readmeExamples,
  unmarkedApiExamples,
  type ReadmeCommand,
} from './readme-examples/markdown-examples';
import { ReaderShell, type ShellAnswer } from './readme-examples/reader-shell';

const PORTS = { gateway: 18320, processor: 18321, monitor: 18322 };
/** How long a reader keeps re-running a read whose answer is not in yet (the apps are async). */
const READ_PATIENCE_MS = 15000;
const COMMAND_TIMEOUT_MS = 20000;

const README = join(REPO_ROOT, 'README.md');
/** What the reader typed and saw, for post-mortems, beside the apps' logs. */
const TRANSCRIPT = join(REPO_ROOT, 'tmp/e2e-logs/readme-examples.log');
// Read when the file loads: the commands name the tests.
const examples = readmeExamples(readFileSync(README, 'utf8'));

/**
 * The README's examples, run as a reader runs them: in order, in one bash session, with the demo
 * client `npm start` writes, each `<placeholder>` filled from the earlier answer that showed it,
 * and each answer checked against the one the README shows. Only the hosts and the test's own
 * topic names differ from a reader's machine, both ways.
 */
describe('README examples, run as written', () => {
  const run = uniqueName('e2e-readme');
  const tenantId = uniqueTenantId('readme');
  const topics = hubTopics(run);
  const indexPrefix = `e2e-readme-${run.slice(run.lastIndexOf('.') + 1)}`.toLowerCase();
  const es = new Client({ node: process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200' });
  const captured = new Map<string, string>();
  const deployment: Deployment = {
    names: [
      ...(['localhost', '127.0.0.1'] as const).flatMap((host) =>
        (['gateway', 'processor', 'monitor'] as const).map((app, i): [string, string] => [
          `${host}:${8000 + i}`,
          `127.0.0.1:${PORTS[app]}`,
        ]),
      ),
      ['user_events', topics.commands],
      ['response_events', topics.replies],
      // The operator example publishes an event of the README's tenant: the run's.
      ['"tenantId":"demo"', `"tenantId":"${tenantId}"`],
    ],
    answerNames: [['demo', tenantId]],
  };
  let db: TestDatabase;
  let checkout: string;
  let fallbackDir: string;
  let apps: AppProcess[] = [];
  let shell: ReaderShell | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_readme');
    [checkout, fallbackDir] = await Promise.all([
      mkdtemp(join(tmpdir(), 'readme-reader-')),
      mkdtemp(join(tmpdir(), 'readme-fallback-')),
    ]);
    await createHubTopics(topics);
    const processor = new AppProcess(
      'processor',
      PORTS.processor,
      hubProcessorEnv(db.url, run, topics),
    ).start();
    const gateway = new AppProcess(
      'gateway',
      PORTS.gateway,
      hubGatewayEnv(db.url, run, topics),
    ).start();
    const monitor = new AppProcess('monitor', PORTS.monitor, {
      KAFKA_CLIENT_ID: run,
      MONITOR_GROUP_ID: `${run}.monitor`,
      // The run's topics and the tenant's: not every topic of the shared broker.
      MONITOR_TOPIC_PATTERN: `^(${run.replace(/[.]/g, '\\.')}|tenant\\.${tenantId})\\.`,
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '1000',
      MONITOR_INDEX_PREFIX: indexPrefix,
      MONITOR_FALLBACK_DIR: fallbackDir,
      AUTH_JWKS_URL: `http://127.0.0.1:${PORTS.gateway}/.well-known/jwks.json`,
      AUTH_JWT_PUBLIC_KEY: '',
      AUTH_JWT_PUBLIC_KEY_FILE: '',
    }).start();
    apps = [processor, gateway, monitor];
    await Promise.all(apps.map((app) => app.waitUntilReady()));
    await writeDemoClient(db.url, tenantId, checkout);
    await mkdir(join(TRANSCRIPT, '..'), { recursive: true });
    await rm(TRANSCRIPT, { force: true });
    // What `npm run admin -- bootstrap-admin` gives the operator the README's example addresses.
    const admin = await bootstrapAdmin(db.url);
    shell = await ReaderShell.open(checkout, {
      ADMIN_CLIENT_ID: admin.clientId,
      ADMIN_CLIENT_SECRET: admin.clientSecret,
    });
  });

  afterAll(async () => {
    await shell?.close();
    await Promise.all(apps.map((app) => app.stop()));
    // The run's topics, and those the examples created for the tenant (`orders`).
    const tenantTopics = await withAdmin((admin) => admin.listTopics()).then((names) =>
      names.filter((name) => name.startsWith(`tenant.${tenantId}.`)),
    );
    await deleteTestTopics([...Object.values(topics), ...tenantTopics]).catch(() => undefined);
    await deleteMonitorIndices(es, indexPrefix);
    await es.close();
    await db?.drop();
    await Promise.all(
      [checkout, fallbackDir].map((dir) => rm(dir, { recursive: true, force: true })),
    );
  });

  it('marks every shell example of the READMEs that calls the apps, so none is skipped', async () => {
    expect(examples.length).toBeGreaterThan(0);
    const files = execFileSync('git', ['ls-files', '*.md'], { cwd: REPO_ROOT, encoding: 'utf8' });
    const unmarked: string[] = [];
    for (const file of files.split('\n').filter(Boolean)) {
      const markdown = await readFile(join(REPO_ROOT, file), 'utf8');
      for (const block of unmarkedApiExamples(markdown)) unmarked.push(`${file}:${block.line}`);
    }
    expect(unmarked).toEqual([]);
  });

  const attempt = async (
    command: ReadmeCommand,
  ): Promise<{ verdict: CommandVerdict; answer: ShellAnswer }> => {
    if (!shell) throw new Error('the reader shell did not open');
    const typed = toTest(fillPlaceholders(command.text, captured), deployment);
    const raw = await shell.run(typed, COMMAND_TIMEOUT_MS);
    const answer = { ...raw, stdout: fromTest(raw.stdout, deployment) };
    await appendFile(
      TRANSCRIPT,
      `$ ${typed}\n${raw.stdout}\n[exit ${raw.exitCode}, HTTP ${raw.httpStatuses.join(' ')}] ${raw.stderr}\n\n`,
    );
    return { verdict: judge(command, answer), answer };
  };

  for (const example of examples) {
    for (const command of example.commands) {
      const title = `README.md:${command.line} (${example.heading}) ${command.text.split('\n')[0]}`;
      it(title, async () => {
        const patient = command.answer !== undefined && isRead(command.text);
        const deadline = Date.now() + (patient ? READ_PATIENCE_MS : 0);
        let outcome = await attempt(command);
        while (outcome.verdict.problems.length > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          outcome = await attempt(command);
        }
        const { verdict, answer } = outcome;
        if (verdict.problems.length > 0) {
          throw new Error(
            [
              `README.md:${command.line} did not answer what the README shows:`,
              ...verdict.problems.map((problem) => `  - ${problem}`),
              `stdout: ${answer.stdout.slice(0, 2000)}`,
              `stderr: ${answer.stderr.slice(0, 1000)}`,
            ].join('\n'),
          );
        }
        verdict.captured.forEach((value, key) => captured.set(key, value));
      });
    }
  }
});
