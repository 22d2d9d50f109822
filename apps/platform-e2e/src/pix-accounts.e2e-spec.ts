import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SCOPES } from '@event-hub/auth';
import { PIX_TOPICS, TOPICS } from '@event-hub/contracts';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  randomCpf,
  uniqueName,
  waitFor,
  withAdmin,
  type ClientCredentials,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess, REPO_ROOT } from './support/app-process';
import {
  pipelineGatewayEnv,
  pipelineProcessorEnv,
  pipelineTopics,
  querySql,
} from './support/command-pipeline';
import { callAs } from './support/platform-calls';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

const runFile = promisify(execFile);
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

interface Accepted {
  correlationId: string;
  statusUrl: string;
  accountId?: string;
}

interface Status {
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

interface Balance {
  accountId: string;
  balance: string;
  version: number;
  asOf: string;
}

/**
 * PIX accounts through the built apps: a user and an account opened over HTTP, credited by an
 * operator, its balance set by the operators' CLI (`npm run balance -- set`, real client
 * credentials), and the gateway's balance view of account_balances (fed by the processor's outbox
 * relay) agreeing with Postgres, across a gateway restart from its snapshot; and an account closed
 * over HTTP: refused while it holds money, then tombstoned out of the view, refusing deposits and
 * payments to its (still reserved) PIX key.
 */
describe('PIX accounts and the balance CLI end to end', () => {
  const run = uniqueName('e2e-pixacc');
  const topics = pipelineTopics(run);
  // The processor's relay puts PIX_TOPIC_PREFIX before the topics the ledger's outbox names.
  const pixPrefix = `${run}.`;
  const balancesTopic = `${pixPrefix}${TOPICS.accountBalances}`;
  // The payment stages' topics too: payments to a closed account are refused.
  const otherPixTopics = PIX_TOPICS.filter((t) => t !== TOPICS.accountBalances).map(
    (t) => `${pixPrefix}${t}`,
  );
  const snapshotDir = mkdtempSync(join(tmpdir(), 'e2e-pixacc-'));
  let db: TestDatabase;
  let processor: AppProcess;
  let gateway: AppProcess;
  let admin: ClientCredentials;
  let operator: TenantCaller;
  let caller: TenantCaller;
  let stranger: TenantCaller;

  const gatewayEnv = () => ({
    ...pipelineGatewayEnv(db.url, run, topics),
    PIX_TOPIC_PREFIX: pixPrefix,
    PIX_ISPB: '12345678',
    BALANCES_TOPIC: balancesTopic,
    BALANCES_SNAPSHOT_PATH: join(snapshotDir, 'balances.sqlite'),
    BALANCES_SNAPSHOT_INTERVAL_MS: '200',
  });

  async function finalStatus(as: TenantCaller, accepted: Accepted): Promise<Status> {
    return waitFor(
      async () => {
        const { body } = await callAs<Status>(gateway.baseUrl, as, 'GET', accepted.statusUrl);
        return body.status === 'PENDING' ? undefined : body;
      },
      { timeoutMs: 30000, intervalMs: 100, what: `the outcome of ${accepted.correlationId}` },
    );
  }

  async function completed(as: TenantCaller, path: string, body: unknown, key?: string) {
    const headers: Record<string, string> = key ? { 'idempotency-key': key } : {};
    const answer = await callAs<Accepted>(gateway.baseUrl, as, 'POST', path, body, headers);
    expect(answer.status).toBe(202);
    const status = await finalStatus(as, answer.body);
    expect(status).toMatchObject({ status: 'COMPLETED' });
    return { accepted: answer.body, result: status.result ?? {} };
  }

  const deposit = (accountId: string, amount: string) =>
    completed(operator, `/accounts/${accountId}/deposits`, { amount }, randomUUID());

  /** `npm run balance -- …`, as an operator runs it, with the admin client's credentials. */
  const runBalanceCli = (...args: string[]) =>
    runFile('npm', ['run', '--silent', 'balance', '--', ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        BALANCE_GATEWAY_URL: gateway.baseUrl,
        BALANCE_CLIENT_ID: admin.clientId,
        BALANCE_CLIENT_SECRET: admin.clientSecret,
      },
    });

  async function balanceCli(...args: string[]): Promise<{ status: number; body: Accepted }> {
    const { stdout } = await runBalanceCli(...args);
    return JSON.parse(stdout) as { status: number; body: Accepted };
  }

  async function setBalance(accountId: string, balance: string, reason: string) {
    const answer = await balanceCli('set', accountId, balance, '--reason', reason, '--json');
    expect(answer.status).toBe(202);
    const status = await finalStatus(operator, answer.body);
    expect(status).toMatchObject({ status: 'COMPLETED', result: { accountId, balance } });
    return Number(status.result?.['version']);
  }

  const viewAt = async (accountId: string, minVersion: number) => {
    const answer = await callAs<Balance>(
      gateway.baseUrl,
      caller,
      'GET',
      `/accounts/${accountId}/balance?minVersion=${minVersion}`,
    );
    expect(answer.status).toBe(200);
    return answer.body;
  };

  const postgresBalance = async (accountId: string) => {
    const [row] = await querySql<{ balance: string; version: string }>(
      db.url,
      'SELECT balance, version FROM accounts WHERE id = $1',
      [accountId],
    );
    return { balance: row?.balance, version: Number(row?.version) };
  };

  async function newUser(): Promise<string> {
    const { result } = await completed(caller, '/users', {
      name: 'Ana Souza',
      email: `${randomUUID()}@example.com`,
      document: randomCpf(),
    });
    return String(result['userId']);
  }

  async function openAccount(userId: string, pixKeys: { type: string; value: string }[]) {
    const { accepted } = await completed(caller, '/accounts', { userId, pixKeys });
    return String(accepted.accountId);
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_pixacc');
    await createTestTopics([topics.commands, topics.replies], 3);
    await createTestTopics([topics.dlq], 1);
    await createTestTopics(otherPixTopics, 3);
    await withAdmin((kafka) =>
      kafka.createTopics({
        topics: [
          {
            topic: balancesTopic,
            numPartitions: 3,
            replicationFactor: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        waitForLeaders: true,
      }),
    );
    processor = new AppProcess('processor', 18561, {
      ...pipelineProcessorEnv(db.url, run, topics),
      PIX_TOPIC_PREFIX: pixPrefix,
      RABBITMQ_URL,
    }).start();
    await processor.waitForHealth(200);
    gateway = new AppProcess('gateway', 18560, gatewayEnv()).start();
    await gateway.waitUntilReady();
    admin = await bootstrapAdmin(db.url);
    const adminToken = await tokenFor(gateway.baseUrl, admin);
    operator = {
      tenantId: 'platform',
      ...admin,
      token: adminToken,
      headers: { authorization: `Bearer ${adminToken}` },
    };
    const scopes = [SCOPES.eventsProduce];
    const tenant = run.replace(/\./g, '-');
    [caller, stranger] = await Promise.all([
      createTenantCaller(gateway.baseUrl, adminToken, `${tenant}-a`, scopes),
      createTenantCaller(gateway.baseUrl, adminToken, `${tenant}-b`, scopes),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    await deleteTestTopics([...Object.values(topics), balancesTopic, ...otherPixTopics]);
    await db?.drop();
    rmSync(snapshotDir, { recursive: true, force: true });
  });

  it('opens an account with validated keys, unique per tenant, readable by its tenant only', async () => {
    const userId = await newUser();
    const email = `${randomUUID()}@Example.com`;
    const accountId = await openAccount(userId, [
      { type: 'EMAIL', value: email },
      { type: 'PHONE', value: '+5511987654321' },
    ]);

    const account = await callAs(gateway.baseUrl, caller, 'GET', `/accounts/${accountId}`);
    expect(account).toMatchObject({
      status: 200,
      body: {
        id: accountId,
        user: { id: userId, name: 'Ana Souza' },
        keys: [
          { type: 'EMAIL', value: email.toLowerCase(), blocked: false },
          { type: 'PHONE', value: '+5511987654321', blocked: false },
        ],
        balance: '0.00',
        version: 0,
      },
    });
    expect((await callAs(gateway.baseUrl, stranger, 'GET', `/accounts/${accountId}`)).status).toBe(
      404,
    );

    const taken = await callAs<{ code: string; detail: string }>(
      gateway.baseUrl,
      caller,
      'POST',
      '/accounts',
      { userId, pixKeys: [{ type: 'EMAIL', value: email }] },
    );
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('ACCOUNT.PIX_KEY_TAKEN');
    expect(taken.body.detail).toContain(email.toLowerCase());

    // Money enters only through operators (admin scope), and a credit only with its Idempotency-Key.
    const path = `/accounts/${accountId}/deposits`;
    const byTenant = await callAs(
      gateway.baseUrl,
      caller,
      'POST',
      path,
      { amount: '1.00' },
      {
        'idempotency-key': randomUUID(),
      },
    );
    expect(byTenant.status).toBe(403);
    const unkeyed = await callAs<{ errors: { field: string }[] }>(
      gateway.baseUrl,
      operator,
      'POST',
      path,
      { amount: '1.00' },
    );
    expect(unkeyed.status).toBe(400);
    expect(unkeyed.body.errors.map((e) => e.field)).toEqual(['headers.idempotency-key']);

    const invalid = await callAs<{ errors: { field: string }[] }>(
      gateway.baseUrl,
      caller,
      'POST',
      '/accounts',
      { userId: randomUUID(), pixKeys: [{ type: 'CPF', value: '111.111.111-11' }] },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e) => e.field)).toEqual(['body.pixKeys.0.value']);
  });

  it('sets a balance with `npm run balance -- set` and serves it from the view, equal to Postgres across a gateway restart', async () => {
    const accountId = await openAccount(await newUser(), [{ type: 'CPF', value: randomCpf() }]);
    const credited = await deposit(accountId, '100.00');
    expect(credited.result).toEqual({ accountId, balance: '100.00', version: 1 });

    const version = await setBalance(accountId, '42.50', 'e2e: corrected opening credit');
    expect(version).toBe(2);
    expect(await viewAt(accountId, version)).toMatchObject({
      accountId,
      balance: '42.50',
      version: 2,
    });
    const saldo = await callAs(gateway.baseUrl, caller, 'GET', `/saldo/${accountId}`);
    expect(saldo).toMatchObject({ status: 200, body: { cliente_id: accountId, saldo: '42.50' } });
    const [audit] = await querySql<{ reason: string; previous_balance: string }>(
      db.url,
      `SELECT reason, previous_balance FROM account_entries WHERE account_id = $1 AND kind = 'adjustment'`,
      [accountId],
    );
    expect(audit).toEqual({ reason: 'e2e: corrected opening credit', previous_balance: '100.00' });

    // The CLI goes through the same validation as the API: a negative balance is refused there.
    // After `--` the negative balance is an argument, not an option.
    const refused = await runBalanceCli(
      'set',
      accountId,
      '--reason',
      'x',
      '--json',
      '--',
      '-1',
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('body.balance');

    const other = await openAccount(await newUser(), []);
    await deposit(other, '7.00');
    await setBalance(other, '0.00', 'e2e: emptied');

    await gateway.stop();
    gateway.start();
    const restarted = await gateway.waitUntilReady();
    // Warm: the view started from its snapshot and read only what came after it.
    expect(restarted.details['balances']).toMatchObject({ status: 'up', start: 'warm' });

    await deposit(accountId, '10.00');
    await setBalance(other, '5.25', 'e2e: after the restart');
    const last = await setBalance(accountId, '60.01', 'e2e: final');
    for (const id of [accountId, other]) {
      const expected = await postgresBalance(id);
      const view = await viewAt(id, expected.version);
      expect({ balance: view.balance, version: view.version }).toEqual(expected);
    }
    expect(await postgresBalance(accountId)).toEqual({ balance: '60.01', version: last });
  });

  it('closes an account only at 0.00: its balance key is tombstoned (404), and deposits and payments to it are refused', async () => {
    const email = `${randomUUID()}@example.com`;
    const closing = await openAccount(await newUser(), [{ type: 'EMAIL', value: email }]);
    const payer = await openAccount(await newUser(), []);
    await deposit(payer, '50.00');
    await deposit(closing, '5.00');
    const close = (as: TenantCaller, accountId: string, key?: string) =>
      callAs<Accepted>(
        gateway.baseUrl,
        as,
        'POST',
        `/accounts/${accountId}/close`,
        undefined,
        key ? { 'idempotency-key': key } : {},
      );

    const unkeyed = await close(caller, closing);
    expect(unkeyed.status).toBe(400);
    expect((await close(stranger, closing, randomUUID())).status).toBe(404);
    const notZero = await close(caller, closing, randomUUID());
    expect(notZero.status).toBe(202);
    expect(await finalStatus(caller, notZero.body)).toMatchObject({
      status: 'FAILED',
      error: { code: 'ACCOUNT.BALANCE_NOT_ZERO' },
    });
    const emptied = await setBalance(closing, '0.00', 'e2e: emptied before closing');
    expect(await viewAt(closing, emptied)).toMatchObject({ balance: '0.00', version: emptied });

    const { result } = await completed(
      caller,
      `/accounts/${closing}/close`,
      undefined,
      randomUUID(),
    );
    expect(result).toEqual({ accountId: closing, closedAt: expect.stringMatching(/Z$/) });

    // The tombstone reaches the view through the outbox relay: the key is gone.
    const gone = await waitFor(
      async () => {
        const answer = await callAs<{ code: string }>(
          gateway.baseUrl,
          caller,
          'GET',
          `/accounts/${closing}/balance`,
        );
        return answer.status === 404 ? answer : undefined;
      },
      { timeoutMs: 30000, intervalMs: 100, what: 'the closed account to leave the balance view' },
    );
    expect(gone.body.code).toBe('BALANCE.ACCOUNT_NOT_FOUND');
    expect((await callAs(gateway.baseUrl, caller, 'GET', `/saldo/${closing}`)).status).toBe(404);
    const account = await callAs(gateway.baseUrl, caller, 'GET', `/accounts/${closing}`);
    expect(account).toMatchObject({ status: 200, body: { closedAt: result['closedAt'] } });

    const refusedDeposit = await callAs<Accepted>(
      gateway.baseUrl,
      operator,
      'POST',
      `/accounts/${closing}/deposits`,
      { amount: '1.00' },
      { 'idempotency-key': randomUUID() },
    );
    expect(await finalStatus(operator, refusedDeposit.body)).toMatchObject({
      status: 'FAILED',
      error: { code: 'ACCOUNT.CLOSED' },
    });

    // Its PIX key stays reserved to it: a payment to the key is rejected, and no money moves.
    const payment = await callAs<{ paymentId: string }>(
      gateway.baseUrl,
      caller,
      'POST',
      '/pix/payments',
      {
        payerAccountId: payer,
        receiverKey: { type: 'EMAIL', value: email },
        amount: '1.00',
        description: 'e2e: to a closed account',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(202);
    const rejected = await waitFor(
      async () => {
        const { body } = await callAs<{ state: string; rejectionCode: string | null }>(
          gateway.baseUrl,
          caller,
          'GET',
          `/pix/payments/${payment.body.paymentId}`,
        );
        return body.state === 'rejected' || body.state === 'notified' ? body : undefined;
      },
      { timeoutMs: 60000, intervalMs: 250, what: 'the payment to the closed account to end' },
    );
    expect(rejected.rejectionCode).toBe('ACCOUNT_CLOSED');
    expect(await postgresBalance(payer)).toEqual({ balance: '50.00', version: 1 });
    expect(await postgresBalance(closing)).toMatchObject({ balance: '0.00' });
  });
});
