import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ACCOUNT_BALANCE_TENANT_HEADER, type AccountBalanceRecord } from '@event-hub/contracts';
import { SCOPES } from '@event-hub/auth';
import { createTopicsAndWaitForLeaders } from '@event-hub/kafka';
import {
  createTestDatabase,
  deleteTestTopics,
  testKafka,
  uniqueName,
  uniqueTenantId,
  waitFor,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import type { Producer } from 'kafkajs';
import { BalanceViewService } from '../../src/balances/balance-view.service';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  json,
  TestGateway,
  type GatewayTopics,
  type TestCaller,
} from '../support/gateway-harness';

interface ViewHealth {
  status: string;
  start: string;
  recordsRead: number;
  lag: number;
  accounts: number;
  rebuildReason?: string;
}

const run = uniqueName('it.balances');

/** A compacted topic as the catalog declares account_balances, with leaders for every partition. */
const createCompactedTopic = (topic: string): Promise<boolean> =>
  withAdmin((admin) =>
    createTopicsAndWaitForLeaders(admin, [
      {
        topic,
        numPartitions: 3,
        replicationFactor: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ]),
  );

describe('balance view of a compacted topic against the real Kafka', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let balancesTopic: string;
  let snapshotDir: string;
  let snapshotPath: string;
  let producer: Producer;
  let gateway: TestGateway | undefined;
  let owner: TestCaller;
  let stranger: TestCaller;
  /** What the view must equal: the highest version produced per account, absent once closed. */
  const expected = new Map<string, AccountBalanceRecord>();
  const tenant = uniqueTenantId('bal');
  const otherTenant = uniqueTenantId('bal-other');

  beforeAll(async () => {
    balancesTopic = uniqueName('it.balances.account_balances');
    snapshotDir = mkdtempSync(join(tmpdir(), 'balances-'));
    snapshotPath = join(snapshotDir, 'view.sqlite');
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_balances'),
      createGatewayTopics('gateway-balances'),
      createCompactedTopic(balancesTopic),
    ]);
    producer = testKafka().producer({ idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await gateway?.close();
    await producer?.disconnect();
    await Promise.all([
      db?.drop(),
      topics && deleteGatewayTopics(topics),
      deleteTestTopics([balancesTopic]),
    ]);
    rmSync(snapshotDir, { recursive: true, force: true });
  });

  async function startGateway(extra: Record<string, string> = {}): Promise<TestGateway> {
    await gateway?.close();
    gateway = await TestGateway.start(
      TestGateway.env(db.url, topics, {
        GATEWAY_TRANSACTIONAL_ID_PREFIX: run,
        BALANCES_TOPIC: balancesTopic,
        BALANCES_SNAPSHOT_PATH: snapshotPath,
        BALANCES_MIN_VERSION_WAIT_MS: '3000',
        ...extra,
      }),
    );
    owner ??= await gateway.bearer(tenant, [SCOPES.eventsConsume]);
    stranger ??= await gateway.bearer(otherTenant, [SCOPES.eventsConsume]);
    return gateway;
  }

  async function viewHealth(via: TestGateway): Promise<ViewHealth> {
    const body = json<{ details: { balances: ViewHealth } }>(
      await via.inject({ method: 'GET', url: '/health' }),
    );
    return body.details.balances;
  }

  const ready = (via: TestGateway): Promise<ViewHealth> =>
    waitFor(
      async () => {
        const response = await via.inject({ method: 'GET', url: '/health/ready' });
        return response.statusCode === 200 && viewHealth(via);
      },
      { what: 'the balance view to catch up', timeoutMs: 60000 },
    );

  const record = (
    accountId: string,
    version: number,
    balance: string,
    tenantId = tenant,
  ): AccountBalanceRecord => ({
    accountId,
    tenantId,
    balance,
    version,
    updatedAt: new Date(Date.UTC(2026, 11, 6, 12, 0, version)).toISOString(),
  });

  /** Produces as the processor's outbox would; tracks what the view must end up holding. */
  async function publish(records: (AccountBalanceRecord | { close: string })[]): Promise<void> {
    await producer.send({
      topic: balancesTopic,
      acks: -1,
      messages: records.map((r) =>
        'close' in r
          ? { key: r.close, value: null, headers: { [ACCOUNT_BALANCE_TENANT_HEADER]: tenant } }
          : {
              key: r.accountId,
              value: JSON.stringify(r),
              headers: { [ACCOUNT_BALANCE_TENANT_HEADER]: r.tenantId },
            },
      ),
    });
    for (const r of records) {
      if ('close' in r) expected.delete(r.close);
      else if ((expected.get(r.accountId)?.version ?? -1) < r.version) expected.set(r.accountId, r);
    }
  }

  /** Accounts 0..n-1 of a run, each through `versions` successive balances. */
  const load = (prefix: string, accounts: number, versions: number): AccountBalanceRecord[] =>
    Array.from({ length: versions }, (_, v) =>
      Array.from({ length: accounts }, (_, a) =>
        record(`${prefix}-${a}`, v + 1, `${a * 10 + v}.${String(v % 100).padStart(2, '0')}`),
      ),
    ).flat();

  function expectViewEqualsExpected(via: TestGateway): void {
    const view = via.app.get(BalanceViewService).view;
    for (const [accountId, want] of expected) expect(view.get(accountId)).toEqual(want);
    // After the reads above: a warm start counts a bucket's deferred changes once it is decoded.
    expect(view.current().accounts).toBe(expected.size);
  }

  it('holds the last record per account after a load, and reads only what is new after a restart', async () => {
    await publish(load('load', 200, 5)); // 1,000 records
    let via = await startGateway();
    const cold = await ready(via);
    expect(cold).toMatchObject({ start: 'cold', rebuildReason: 'no snapshot', recordsRead: 1000 });
    expectViewEqualsExpected(via);

    await via.close();
    // 101 records while the gateway is down, one of them an older version of a known account:
    // read into buckets the warm start has not decoded yet, it must still lose to version 5.
    await publish([...load('late', 50, 2), record('load-3', 2, '0.01')]);
    via = await startGateway();
    const warm = await ready(via);
    expect(warm).toMatchObject({ start: 'warm', recordsRead: 101, lag: 0 });
    expectViewEqualsExpected(via);

    // And again with nothing new: nothing is read at all.
    via = await startGateway();
    expect(await ready(via)).toMatchObject({ start: 'warm', recordsRead: 0 });
    expectViewEqualsExpected(via);
  });

  it('answers the balance of the caller’s own account, in both shapes', async () => {
    const via = gateway ?? (await startGateway());
    await ready(via);
    const response = await via.get('/accounts/load-7/balance', owner.headers);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      accountId: 'load-7',
      balance: '74.04',
      version: 5,
      asOf: expected.get('load-7')?.updatedAt,
    });
    const saldo = await via.get('/saldo/load-7', owner.headers);
    expect(saldo.statusCode).toBe(200);
    expect(json(saldo)).toEqual({
      cliente_id: 'load-7',
      saldo: '74.04',
      timestamp: expected.get('load-7')?.updatedAt,
    });
  });

  it('answers 404 for an unknown account and for another tenant’s account', async () => {
    const via = gateway ?? (await startGateway());
    const unknown = await via.get('/accounts/nobody/balance', owner.headers);
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ code: 'BALANCE.ACCOUNT_NOT_FOUND' });
    const foreign = await via.get('/accounts/load-7/balance', stranger.headers);
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign)).toMatchObject({ code: 'BALANCE.ACCOUNT_NOT_FOUND' });
    expect((await via.get('/saldo/load-7', stranger.headers)).statusCode).toBe(404);
    expect(
      (await via.get('/accounts/load-7/balance?minVersion=1', stranger.headers)).statusCode,
    ).toBe(404);
  });

  it('requires a token', async () => {
    const via = gateway ?? (await startGateway());
    const response = await via.inject({ method: 'GET', url: '/accounts/load-7/balance' });
    expect(response.statusCode).toBe(401);
  });

  it('rejects a minVersion that is not a non-negative integer, naming the field', async () => {
    const via = gateway ?? (await startGateway());
    const response = await via.get('/accounts/load-7/balance?minVersion=-1', owner.headers);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(json(response))).toContain('minVersion');
  });

  it('never lets an older version overwrite a newer one', async () => {
    const via = gateway ?? (await startGateway());
    await publish([record('reordered', 5, '500.00')]);
    await publish([record('reordered', 3, '300.00'), record('marker', 1, '1.00')]);
    await waitFor(() => via.app.get(BalanceViewService).view.get('marker'), {
      what: 'the marker record',
    });
    const response = await via.get('/accounts/reordered/balance', owner.headers);
    expect(json(response)).toMatchObject({ balance: '500.00', version: 5 });
  });

  it('removes a closed account (tombstone), also across a restart', async () => {
    let via = gateway ?? (await startGateway());
    await publish([
      record('closing', 1, '10.00'),
      { close: 'closing' },
      record('marker2', 1, '1.00'),
    ]);
    await waitFor(() => via.app.get(BalanceViewService).view.get('marker2'), {
      what: 'the marker record',
    });
    expect((await via.get('/accounts/closing/balance', owner.headers)).statusCode).toBe(404);
    via = await startGateway();
    await ready(via);
    expect((await via.get('/accounts/closing/balance', owner.headers)).statusCode).toBe(404);
    expectViewEqualsExpected(via);
  });

  it('with minVersion, waits until the view holds that version, then answers it', async () => {
    const via = gateway ?? (await startGateway());
    await publish([record('ryw', 1, '10.00')]);
    const answer = via.get('/accounts/ryw/balance?minVersion=2', owner.headers);
    // The request is waiting on version 2 when the settlement's record arrives.
    await waitFor(() => via.app.get(BalanceViewService).view.get('ryw'), { what: 'version 1' });
    await publish([record('ryw', 2, '25.50')]);
    const response = await answer;
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ accountId: 'ryw', balance: '25.50', version: 2 });
  });

  it('with a minVersion the view never reaches, answers 503 with problem details after the wait', async () => {
    const via = gateway ?? (await startGateway());
    const response = await via.get('/accounts/ryw/balance?minVersion=99', owner.headers);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(json(response)).toMatchObject({
      code: 'BALANCE.VERSION_NOT_YET_VISIBLE',
      minVersion: 99,
      currentVersion: 2,
    });
  });

  it('detects a tampered snapshot and rebuilds from the topic', async () => {
    await gateway?.close();
    gateway = undefined;
    const file = new DatabaseSync(snapshotPath);
    const bucket = file
      .prepare('SELECT id, body FROM buckets WHERE length(body) > 2 LIMIT 1')
      .get() as {
      id: number;
      body: Uint8Array;
    };
    const forged = Buffer.from(bucket.body)
      .toString('utf8')
      .replace(/"\d+\.\d\d"/, '"999999.99"');
    file.prepare('UPDATE buckets SET body = ? WHERE id = ?').run(Buffer.from(forged), bucket.id);
    file.close();

    const via = await startGateway();
    const health = await ready(via);
    expect(health.start).toBe('cold');
    expect(health.rebuildReason).toContain(`bucket ${bucket.id}`);
    expectViewEqualsExpected(via);
  });

  it('rebuilds from the topic when the snapshot file is not a database at all', async () => {
    await gateway?.close();
    gateway = undefined;
    writeFileSync(snapshotPath, Buffer.alloc(8192, 0x5a));
    rmSync(`${snapshotPath}-wal`, { force: true });
    rmSync(`${snapshotPath}-shm`, { force: true });
    const via = await startGateway();
    const health = await ready(via);
    expect(health.start).toBe('cold');
    expectViewEqualsExpected(via);
    // The rebuilt snapshot is whole again: the next start is warm.
    const again = await startGateway();
    expect(await ready(again)).toMatchObject({ start: 'warm', recordsRead: 0 });
  });

  it('reports its lag on /metrics', async () => {
    const via = gateway ?? (await startGateway());
    const metrics = await via.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^gateway_balances_lag_records\{[^}]*\} 0$/m);
    expect(metrics.body).toMatch(/^gateway_balances_ready\{[^}]*\} 1$/m);
    expect(metrics.body).toMatch(
      new RegExp(`^gateway_balances_accounts\\{[^}]*\\} ${expected.size}$`, 'm'),
    );
  });
});
