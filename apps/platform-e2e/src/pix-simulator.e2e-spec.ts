import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SCOPES } from '@event-hub/auth';
import {
  bootstrapAdmin,
  createTestDatabase,
  uniqueName,
  type ClientCredentials,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess, REPO_ROOT } from './support/app-process';
import { querySql } from './support/command-pipeline';
import {
  createPixRunTopics,
  deletePixRunTopics,
  pixGatewayEnv,
  pixProcessorEnv,
  pixRunNames,
} from './support/pix-fixtures';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

const runFile = promisify(execFile);

/**
 * `npm run simulate` as an operator runs it, against the built gateway and processor: it opens
 * accounts, pays between them for a few seconds with real client-credentials tokens and ends with
 * a summary in which every payment settled.
 */
describe('npm run simulate end to end', () => {
  const names = pixRunNames(uniqueName('e2e-pixsim'));
  const rabbitUrl = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let admin: ClientCredentials;
  let caller: TenantCaller;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_pixsim');
    await createPixRunTopics(names);
    processor = new AppProcess(
      'processor',
      18653,
      pixProcessorEnv(db.url, names, rabbitUrl),
    ).start();
    await processor.waitForHealth(200, 180000);
    gateway = new AppProcess('gateway', 18652, pixGatewayEnv(db.url, names)).start();
    await gateway.waitForHealth(200, 180000);
    admin = await bootstrapAdmin(db.url);
    caller = await createTenantCaller(
      gateway.baseUrl,
      await tokenFor(gateway.baseUrl, admin),
      names.run.replace(/\./g, '-'),
      [SCOPES.eventsProduce],
    );
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    await deletePixRunTopics(names);
    await db?.drop();
  });

  it('opens accounts, sends payments at the rate asked and reports them all settled', async () => {
    const { stdout } = await runFile(
      'npm',
      ['run', '--silent', 'simulate', '--', '--rate', '10', '--duration', '3', '--accounts', '6'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          SIMULATE_GATEWAY_URL: gateway.baseUrl,
          SIMULATE_CLIENT_ID: caller.clientId,
          SIMULATE_CLIENT_SECRET: caller.clientSecret,
          SIMULATE_OPERATOR_CLIENT_ID: admin.clientId,
          SIMULATE_OPERATOR_CLIENT_SECRET: admin.clientSecret,
        },
      },
    );

    expect(stdout).toMatch(/accounts opened 6\/6/);
    expect(stdout).toMatch(/^\s+\d+ s {2}sent \d+ {2}settled \d+/m);
    expect(stdout).toMatch(/^ {2}sent 30 in [\d.]+ s/m);
    expect(stdout).toMatch(/^ {2}settled 30$/m);
    expect(stdout).toMatch(/^ {2}rejected 0: none$/m);
    expect(stdout).toMatch(/^ {2}request→settled ms: p50 \d+/m);
    expect(stdout).toMatch(/^ {2}unexpected answers 0: none$/m);
    const [settled] = await querySql<{ count: string }>(
      db.url,
      `SELECT count(*) FROM pix_payments WHERE tenant_id = $1 AND state IN ('settled', 'notified')`,
      [caller.tenantId],
    );
    expect(settled?.count).toBe('30');
  });
});
