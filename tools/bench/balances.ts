/**
 * `npm run bench:balances`: the gateway's balance view (apps/gateway/src/balances) rebuilding from
 * a compacted topic of BENCH_BALANCES_KEYS (1,000,000) accounts, against a bare kafkajs consumer
 * reading the same topic in the same run, then serving balance reads over HTTP against the same
 * gateway's no-op `GET /auth/whoami`.
 *
 *  1. produce one record per account (version 1) to a compacted topic of the run's own;
 *  2. baseline: a bare kafkajs consumer (fresh group, same fetch sizes as the view, eachBatch,
 *     counts records and parses nothing) reads it to the end offsets;
 *  3. cold: a gateway (child process, own database and snapshot file) with no snapshot rebuilds
 *     from the topic; figures from its /health (`caughtUpMs`, `recordsRead`) and /proc;
 *  4. warm: that gateway stopped (it writes its snapshot), BENCH_BALANCES_NEW_PERCENT (1) % of the
 *     accounts get a version 2, the gateway started again: it must read exactly those records;
 *  5. reads: BENCH_BALANCES_READS (50,000) `GET /accounts/:id/balance` of random accounts at
 *     BENCH_BALANCES_CONNECTIONS (32), each answer checked against what was produced, and the
 *     same number of `GET /auth/whoami` on the same gateway and connections.
 * Targets: cold ≤ 1.5 × the bare read, warm < 2 s. Any unexpected answer, record count or start
 * mode fails the run (exit 1). Figures go to bench-results/balances.json (not committed).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { generateSigningKeyPem, SCOPES } from '@event-hub/auth';
import { ACCOUNT_BALANCE_TENANT_HEADER, type AccountBalanceRecord } from '@event-hub/contracts';
import { createTopicsAndWaitForLeaders, parseBrokerList } from '@event-hub/kafka';
import { bootstrapAdmin, createTestDatabase } from '@event-hub/testing';
import { intFromEnv, writeResults } from './support/bench-output';
import { summarize, type LatencySummary } from './support/percentiles';
import {
  cpuMsPer,
  cpuSpent,
  formatCpu,
  meteredBench,
  meteredDevServices,
  meteredPid,
  processCpuSeconds,
  StackCpuMeter,
  type CpuByProcess,
  type MeteredProcess,
} from './support/process-cpu';
import { AppProcess, REPO_ROOT } from './support/app-process';
import { HttpClient } from './proxy/http-client';
import { callerFor, createClient, createTenant, type BenchCaller } from './proxy/platform';

const BROKERS = parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
const KEYS = intFromEnv('BENCH_BALANCES_KEYS', 1_000_000);
const NEW_PERCENT = intFromEnv('BENCH_BALANCES_NEW_PERCENT', 1);
const PARTITIONS = intFromEnv('BENCH_BALANCES_PARTITIONS', 3);
const READS = intFromEnv('BENCH_BALANCES_READS', 50_000);
const CONNECTIONS = intFromEnv('BENCH_BALANCES_CONNECTIONS', 32);
const START_TIMEOUT_MS = intFromEnv('BENCH_BALANCES_START_TIMEOUT_MS', 600_000);
/** Extra flags for the gateway's node, e.g. `--cpu-prof --cpu-prof-dir=tmp/bench-prof`. */
const GATEWAY_NODE_ARGS = (process.env['BENCH_BALANCES_NODE_ARGS'] ?? '')
  .split(' ')
  .filter(Boolean);
/** The view's fetch sizes (balance-view.ts), so the baseline fetches the same way. */
const FETCH = {
  maxBytesPerPartition: 8 * 1024 * 1024,
  maxBytes: 32 * 1024 * 1024,
  maxWaitTimeInMs: 100,
};
const COLD_TARGET_RATIO = 1.5;
const WARM_TARGET_MS = 2000;

for (const broker of BROKERS) {
  const host = new URL(`tcp://${broker}`).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`bench targets 127.0.0.1 only, not ${broker}`);
}

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tenantId = `bench-bal-${runId}`;
const topic = `bench.balances.${runId}`;
const gatewayTopics = {
  commands: `bench.balances-commands.${runId}`,
  replies: `bench.balances-replies.${runId}`,
  usage: `bench.balances-usage.${runId}`,
};
const snapshotPath = join(REPO_ROOT, 'tmp/bench-balances', `${runId}.sqlite`);
const kafka = new Kafka({
  clientId: 'bench-balances',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
});
const cleanups: (() => Promise<unknown>)[] = [];
const problems: string[] = [];

/** Every 100 / NEW_PERCENT-th account gets a version 2 before the warm start. */
const updated = (i: number): boolean => i % Math.round(100 / NEW_PERCENT) === 0;
const accountId = (i: number): string => `acc-${String(i).padStart(7, '0')}`;
const balanceOf = (i: number, version: number): string =>
  `${(i * 7 + version * 13) % 100000}.${String((i + version) % 100).padStart(2, '0')}`;
/** What the view must answer for account i after the warm start. */
const expectedVersion = (i: number): number => (updated(i) ? 2 : 1);

function record(i: number, version: number): Message {
  const value: AccountBalanceRecord = {
    accountId: accountId(i),
    tenantId,
    balance: balanceOf(i, version),
    version,
    updatedAt: new Date(Date.UTC(2026, 11, 6, 12, 0, 0, version)).toISOString(),
  };
  return {
    key: value.accountId,
    value: JSON.stringify(value),
    headers: { [ACCOUNT_BALANCE_TENANT_HEADER]: tenantId },
  };
}

interface ViewHealth {
  status: string;
  start: string;
  recordsRead: number;
  accounts: number;
  caughtUpMs: number;
  rebuildReason?: string;
}

interface StartFigures {
  /** The view's own clock: from its start (offsets, snapshot) until caught up. */
  caughtUpMs: number;
  /** From spawning the gateway process until /health answered 200 (Nest boot included). */
  processReadyMs: number;
  recordsRead: number;
  accounts: number;
  /** CPU seconds: the gateway process since spawn; the others over the same interval. */
  cpuSeconds: CpuByProcess;
  /** Per 1,000 records read; the gateway's includes its boot (Nest, swc), which a warm start of few records is mostly made of. */
  cpuMsPer1kRecords: CpuByProcess;
}

async function main(): Promise<number> {
  console.log(
    `bench:balances run ${runId}: ${KEYS} accounts on ${PARTITIONS} partitions, ` +
      `${NEW_PERCENT}% new before the warm start, ${READS} reads at ${CONNECTIONS} connections`,
  );
  await createTopics([topic], PARTITIONS, true);
  await createTopics([gatewayTopics.commands, gatewayTopics.replies], 1);
  await createTopics([gatewayTopics.usage], 3);
  const devServices = await meteredDevServices(REPO_ROOT);

  const producedAt = performance.now();
  await produce(
    Array.from({ length: KEYS }, (_, i) => i),
    1,
  );
  console.log(
    `produced ${KEYS} records in ${((performance.now() - producedAt) / 1000).toFixed(1)} s`,
  );

  const bare = await bareRead([...devServices, meteredBench()]);
  console.log(
    `bare kafkajs read: ${bare.records} records in ${bare.ms} ms; CPU ms/1k records ${formatCpu(bare.cpuMsPer1kRecords)}`,
  );

  const database = await createTestDatabase('bench_balances');
  cleanups.push(() => database.drop());
  cleanups.push(async () =>
    rmSync(join(REPO_ROOT, 'tmp/bench-balances'), { recursive: true, force: true }),
  );
  const env = gatewayEnv(database.url);

  const coldRun = await startGateway(env, devServices);
  const cold = coldRun.figures;
  expectStart('cold', coldRun.health, KEYS, KEYS);
  console.log(
    `cold rebuild: ${cold.recordsRead} records, caught up in ${cold.caughtUpMs} ms (process ready ` +
      `${cold.processReadyMs} ms); CPU ms/1k records ${formatCpu(cold.cpuMsPer1kRecords)}`,
  );
  await coldRun.gateway.stop();

  const newKeys = Array.from({ length: KEYS }, (_, i) => i).filter(updated);
  await produce(newKeys, 2);
  const warmRun = await startGateway(env, devServices);
  const warm = warmRun.figures;
  expectStart('warm', warmRun.health, newKeys.length, KEYS);
  console.log(
    `warm start: ${warm.recordsRead} new records, caught up in ${warm.caughtUpMs} ms (process ready ` +
      `${warm.processReadyMs} ms)`,
  );

  const gateway = warmRun.gateway;
  cleanups.push(() => gateway.stop());
  const http = new HttpClient(gateway.baseUrl, 4);
  cleanups.push(async () => http.close());
  const admin = await callerFor(http, await bootstrapAdmin(database.url));
  await createTenant(http, admin, tenantId, {});
  const reader = await createClient(http, admin, tenantId, 'bench-balances', [
    SCOPES.eventsConsume,
  ]);
  const stack = [meteredPid('gateway', gateway.pid), ...devServices, meteredBench()];
  const whoamiWarmUp = await httpPhase(
    gateway.baseUrl,
    reader,
    stack,
    'whoami',
    Math.min(2000, READS),
  );
  const balanceWarmUp = await httpPhase(
    gateway.baseUrl,
    reader,
    stack,
    'balance',
    Math.min(2000, READS),
  );
  for (const warmUp of [whoamiWarmUp, balanceWarmUp]) checkPhase(warmUp);
  const reads = await httpPhase(gateway.baseUrl, reader, stack, 'balance', READS);
  const noop = await httpPhase(gateway.baseUrl, reader, stack, 'whoami', READS);
  checkPhase(reads);
  checkPhase(noop);

  const coldRatio = Math.round((cold.caughtUpMs / bare.ms) * 100) / 100;
  const figures = {
    runId,
    keys: KEYS,
    partitions: PARTITIONS,
    newRecords: newKeys.length,
    bare,
    cold: { ...cold, ratioToBare: coldRatio, target: `≤ ${COLD_TARGET_RATIO} × bare` },
    warm: { ...warm, target: `< ${WARM_TARGET_MS} ms` },
    reads,
    noop,
    readsToNoop: Math.round((reads.requestsPerSecond / noop.requestsPerSecond) * 100) / 100,
    targets: {
      coldWithinRatio: coldRatio <= COLD_TARGET_RATIO,
      warmUnder2s: warm.caughtUpMs < WARM_TARGET_MS,
    },
    problems,
  };
  console.log('');
  console.log(
    `| phase | records | ms | ratio / target | CPU ms per 1k records (reads: per request) |`,
  );
  console.log(
    `| bare kafkajs read | ${bare.records} | ${bare.ms} | baseline | ${formatCpu(bare.cpuMsPer1kRecords)} |`,
  );
  console.log(
    `| cold rebuild | ${cold.recordsRead} | ${cold.caughtUpMs} | ${coldRatio} × bare (target ≤ ${COLD_TARGET_RATIO}) | ${formatCpu(cold.cpuMsPer1kRecords)} |`,
  );
  console.log(
    `| warm start | ${warm.recordsRead} | ${warm.caughtUpMs} | target < ${WARM_TARGET_MS} ms | ${formatCpu(warm.cpuMsPer1kRecords)} |`,
  );
  for (const phase of [reads, noop]) {
    console.log(
      `| ${phase.label} | ${phase.answered} req, ${phase.requestsPerSecond}/s | p50 ${phase.latencyMs.p50} p99 ${phase.latencyMs.p99} | ` +
        `${phase === reads ? `${figures.readsToNoop} × no-op` : 'baseline'} | ${formatCpu(phase.cpuMsPerRequest)} |`,
    );
  }
  console.log(`results: ${writeResults('balances', figures)}`);
  if (problems.length > 0) {
    console.error(`FAILED:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(
    JSON.stringify({
      bench: 'balances',
      coldMs: cold.caughtUpMs,
      bareMs: bare.ms,
      coldRatio,
      warmMs: warm.caughtUpMs,
      readsPerSecond: reads.requestsPerSecond,
      noopPerSecond: noop.requestsPerSecond,
    }),
  );
  return 0;
}

async function createTopics(names: string[], partitions: number, compacted = false): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsAndWaitForLeaders(
      admin,
      names.map((name) => ({
        topic: name,
        numPartitions: partitions,
        replicationFactor: 1,
        ...(compacted ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
      })),
    );
  } finally {
    await admin.disconnect();
  }
  cleanups.push(async () => {
    const cleaner = kafka.admin();
    await cleaner.connect();
    await cleaner.deleteTopics({ topics: names, timeout: 10000 }).catch(() => undefined);
    await cleaner.disconnect();
  });
}

/** The accounts' records at `version`, in batches of 5,000 with 4 batches in flight. */
async function produce(accounts: number[], version: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
  await producer.connect();
  try {
    const batch = 5000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < accounts.length) {
        const slice = accounts.slice(next, next + batch);
        next += batch;
        await producer.send({ topic, acks: -1, messages: slice.map((i) => record(i, version)) });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    await producer.disconnect();
  }
}

/** A bare kafkajs consumer reading the topic to the end offsets it had at start. */
async function bareRead(stack: MeteredProcess[]) {
  const cpu = new StackCpuMeter(stack);
  let records = 0;
  const started = performance.now();
  await cpu.measure(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]),
    );
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: `bench-balances-bare-${runId}`, ...FETCH });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          records += batch.messages.length;
          if (BigInt(batch.lastOffset()) + 1n >= (ends.get(batch.partition) ?? 0n))
            ends.delete(batch.partition);
          if (ends.size === 0) resolve();
        },
      });
    });
    await consumer.disconnect();
  });
  const ms = Math.round(performance.now() - started);
  return { records, ms, cpuMsPer1kRecords: cpu.perItems(records, 1000) };
}

function gatewayEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: BROKERS.join(','),
    LOG_LEVEL: process.env['BENCH_BALANCES_LOG_LEVEL'] ?? 'info',
    AUTH_JWT_PRIVATE_KEY: generateSigningKeyPem(),
    AUTH_JWT_PRIVATE_KEY_FILE: '',
    GATEWAY_COMMAND_TOPIC: gatewayTopics.commands,
    GATEWAY_REPLY_TOPIC: gatewayTopics.replies,
    GATEWAY_REPLY_GROUP_ID: `bench-balances-replies-${runId}`,
    GATEWAY_USAGE_TOPIC: gatewayTopics.usage,
    BALANCES_TOPIC: topic,
    BALANCES_SNAPSHOT_PATH: snapshotPath,
  };
}

/** Starts a gateway and waits until /health is 200 (its balance view caught up). */
async function startGateway(env: Record<string, string>, devServices: MeteredProcess[]) {
  const others = new StackCpuMeter([...devServices, meteredBench()]);
  const before = await others.sample();
  const spawned = performance.now();
  const gateway = await AppProcess.start(
    'gateway',
    { entry: 'source', runId, nodeArgs: GATEWAY_NODE_ARGS, env },
    START_TIMEOUT_MS,
  );
  const processReadyMs = Math.round(performance.now() - spawned);
  const gatewayCpu = await processCpuSeconds(gateway.pid);
  const spent = { gateway: gatewayCpu, ...cpuSpent(before, await others.sample()) };
  const response = await fetch(`${gateway.baseUrl}/health`);
  const health = ((await response.json()) as { details: { balances: ViewHealth } }).details
    .balances;
  const figures: StartFigures = {
    caughtUpMs: health.caughtUpMs,
    processReadyMs,
    recordsRead: health.recordsRead,
    accounts: health.accounts,
    cpuSeconds: spent,
    cpuMsPer1kRecords: cpuMsPer(spent, health.recordsRead, 1000),
  };
  return { gateway, health, figures };
}

function expectStart(
  mode: 'cold' | 'warm',
  health: ViewHealth,
  records: number,
  accounts: number,
): void {
  if (health.start !== mode)
    problems.push(
      `${mode} start: the view started ${health.start} (${health.rebuildReason ?? ''})`,
    );
  if (health.recordsRead !== records)
    problems.push(`${mode} start: read ${health.recordsRead} records, expected ${records}`);
  if (health.accounts !== accounts)
    problems.push(`${mode} start: ${health.accounts} accounts, expected ${accounts}`);
}

interface HttpPhase {
  label: string;
  answered: number;
  rejected: Record<string, number>;
  errors: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  cpuMsPerRequest: CpuByProcess;
}

/** `balance`: random accounts, each answer checked; `whoami`: the no-op, naming the client. */
async function httpPhase(
  baseUrl: string,
  caller: BenchCaller,
  stack: MeteredProcess[],
  label: 'balance' | 'whoami',
  amount: number,
): Promise<HttpPhase> {
  const latencies: number[] = [];
  const rejected: Record<string, number> = {};
  let answered = 0;
  const cpu = new StackCpuMeter(stack);
  const started = performance.now();
  const reject = (problem: string): void => {
    rejected[problem] = (rejected[problem] ?? 0) + 1;
  };
  const result = await cpu.measure(() =>
    autocannon({
      url: baseUrl,
      connections: CONNECTIONS,
      pipelining: 1,
      amount,
      timeout: 30,
      requests: [
        {
          method: 'GET',
          path: '/auth/whoami',
          headers: caller.headers,
          setupRequest: (request, context) => {
            (context as { sentAt?: number }).sentAt = performance.now();
            if (label === 'whoami') return request;
            const i = Math.floor(Math.random() * KEYS);
            return { ...request, path: `/accounts/${accountId(i)}/balance` };
          },
          onResponse: (status, body, context) => {
            const now = performance.now();
            if (status !== 200) return reject(`HTTP ${status}`);
            const problem = label === 'whoami' ? checkWhoAmI(body, caller) : checkBalance(body);
            if (problem) return reject(problem);
            answered += 1;
            latencies.push(now - ((context as { sentAt?: number }).sentAt ?? now));
          },
        },
      ],
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    label: label === 'balance' ? 'GET /accounts/:id/balance' : 'GET /auth/whoami (no-op)',
    answered,
    rejected,
    errors: result.errors + result.timeouts,
    requestsPerSecond: Math.round(answered / seconds),
    latencyMs: summarize(latencies),
    cpuMsPerRequest: cpu.perItems(answered),
  };
}

function checkBalance(body: string): string | undefined {
  const answer = JSON.parse(body) as { accountId?: string; balance?: string; version?: number };
  const i = Number(/^acc-(\d+)$/.exec(answer.accountId ?? '')?.[1] ?? NaN);
  if (!Number.isInteger(i)) return '200 without a bench account id';
  const version = expectedVersion(i);
  if (answer.version !== version) return `version ${answer.version} instead of ${version}`;
  if (answer.balance !== balanceOf(i, version)) return 'another balance than produced';
  return undefined;
}

function checkWhoAmI(body: string, caller: BenchCaller): string | undefined {
  const answer = JSON.parse(body) as { clientId?: string };
  return answer.clientId === caller.clientId ? undefined : '200 naming another client';
}

function checkPhase(phase: HttpPhase): void {
  if (Object.keys(phase.rejected).length > 0)
    problems.push(`${phase.label}: unexpected answers ${JSON.stringify(phase.rejected)}`);
  if (phase.errors > 0) problems.push(`${phase.label}: ${phase.errors} requests got no answer`);
}

main()
  .then(
    (code) => code,
    (error: unknown) => {
      console.error(error);
      return 1;
    },
  )
  .then(async (code) => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.exit(code);
  });
