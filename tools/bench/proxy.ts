/**
 * `npm run bench:proxy`: the tenant proxy's HTTP produce and consume throughput against raw
 * kafkajs moving the same records on the same broker, in the same run.
 *
 * It starts a gateway of its own (child process, own database, signing key, command/reply/usage
 * topics; `npm start` is not needed), makes the platform's first admin client with
 * `npm run admin -- bootstrap-admin`, and through the admin API a tenant (quotas high enough not
 * to pace the run) with BENCH_PROXY_CLIENTS API clients. Then:
 *  - produce: each client posts batches of BENCH_PROXY_BATCH records of BENCH_PROXY_VALUE_BYTES
 *    JSON values to a 6-partition tenant topic, one request at a time per client, while the
 *    baseline sends the same records (same keys, values and gateway headers, same batch size,
 *    acks=all, same concurrency) with kafkajs to a topic of its own;
 *  - consume: everything the HTTP side produced, read back over HTTP (per partition from offset 0,
 *    clients in parallel) and by a fresh kafkajs consumer group with eachBatch.
 * Both phases run in BENCH_PROXY_ROUNDS rounds alternating which side goes first. Per side:
 * records/s, MiB/s of values, request latency percentiles and CPU ms per 1,000 records of every
 * process of the stack (gateway, Kafka, Elasticsearch, Postgres, the bench itself; from /proc);
 * from the gateway's /metrics, what the produce path's transactions did. Any non-2xx answer
 * or failed send fails the bench (exit 1). Everything created is deleted at the end; figures go
 * to bench-results/proxy.json (not committed) and a one-line JSON summary is printed last.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { generateSigningKeyPem, SCOPES } from '@event-hub/auth';
import { EVENT_HEADERS, JSON_CONTENT_TYPE } from '@event-hub/contracts';
import { createTopicsAndWaitForLeaders, parseBrokerList } from '@event-hub/kafka';
import { bootstrapAdmin, createTestDatabase, type TestDatabase } from '@event-hub/testing';
import { intFromEnv, writeResults } from './support/bench-output';
import { BenchRecords } from './proxy/bench-records';
import { AppProcess, REPO_ROOT } from './support/app-process';
import {
  formatCpu,
  meteredBench,
  meteredDevServices,
  meteredPid,
  StackCpuMeter,
  type CpuByProcess,
} from './support/process-cpu';
import { HttpClient } from './proxy/http-client';
import { runInterleaved } from './proxy/interleaved-sides';
import { LoadTally, round, type TallySummary } from './proxy/load-tally';
import {
  callerFor,
  createClient,
  createTenant,
  createTopic,
  deleteTopic,
  type BenchCaller,
} from './proxy/platform';
import {
  httpProduceRound,
  PartitionCounts,
  rawProduceRound,
  type ProduceWork,
} from './proxy/produce-phase';
import { httpConsumeRound, rawConsumeRound, type ConsumeWork } from './proxy/consume-phase';
import { difference, histogram, parseSamples, total, type Samples } from './proxy/prometheus-text';

const BROKERS = parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
const CLIENTS = intFromEnv('BENCH_PROXY_CLIENTS', 4);
const RECORDS = intFromEnv('BENCH_PROXY_RECORDS', 200000);
const BATCH = intFromEnv('BENCH_PROXY_BATCH', 100);
const VALUE_BYTES = intFromEnv('BENCH_PROXY_VALUE_BYTES', 1024);
const ROUNDS = intFromEnv('BENCH_PROXY_ROUNDS', 2);
const PARTITIONS = intFromEnv('BENCH_PROXY_PARTITIONS', 6);
/** 1: every HTTP produce request carries an Idempotency-Key of its own (its cost in the figures). */
const IDEMPOTENCY = process.env['BENCH_PROXY_IDEMPOTENCY'] === '1';
const ENTRY = process.env['BENCH_PROXY_GATEWAY_ENTRY'] === 'dist' ? 'dist' : 'source';
/** Flags for the gateway's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const GATEWAY_NODE_ARGS = (process.env['BENCH_PROXY_GATEWAY_NODE_ARGS'] ?? '')
  .split(' ')
  .filter((a) => a.length > 0);
const CONSUME_LIMIT = intFromEnv('BENCH_PROXY_CONSUME_LIMIT', 1000);
/** `maxWaitMs` of each HTTP read (a long poll answered as soon as records are fetched). */
const CONSUME_WAIT_MS = intFromEnv('BENCH_PROXY_CONSUME_WAIT_MS', 1000);
/** How long a consumer may see nothing new before the round fails. */
const STALL_MS = intFromEnv('BENCH_PROXY_STALL_MS', 30000);
/** `produce,consume` (default) or `produce` alone. */
const PHASES = new Set((process.env['BENCH_PROXY_PHASES'] ?? 'produce,consume').split(','));
const GATEWAY_LOG_LEVEL = process.env['BENCH_PROXY_LOG_LEVEL'] ?? 'warn';
/** The gateway's port (default: a free one the system picks). */
const GATEWAY_PORT = process.env['BENCH_PROXY_GATEWAY_PORT'];

for (const broker of BROKERS) {
  const host = new URL(`tcp://${broker}`).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`bench targets 127.0.0.1 only, not ${broker}`);
}

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kafka = new Kafka({ clientId: 'bench-proxy', brokers: BROKERS, logLevel: logLevel.NOTHING });
const cleanups: (() => Promise<unknown>)[] = [];

interface SideReport extends TallySummary {
  /** By process of the stack: gateway, kafka, elasticsearch, postgres, bench. */
  cpuSeconds: CpuByProcess;
  /** CPU milliseconds per 1,000 records, by process and in total. */
  cpuMsPer1kRecords: CpuByProcess;
}

interface Comparison {
  http: SideReport;
  kafkajs: SideReport;
  /** HTTP records/s ÷ kafkajs records/s. */
  ratio: number;
  /** The gateway's CPU per record ÷ the kafkajs client's (the bench process on the kafkajs side). */
  gatewayCpuVsClient: number;
}

type Phase = 'produce' | 'consume';

/** Issue 14's targets: throughput against kafkajs, and the gateway's CPU against the client's. */
const TARGETS: Record<Phase, { ratio: number; gatewayCpuVsClient: number }> = {
  produce: { ratio: 0.7, gatewayCpuVsClient: 1.5 },
  consume: { ratio: 0.7, gatewayCpuVsClient: 2 },
};

async function main(): Promise<number> {
  const perRound = Math.ceil(RECORDS / ROUNDS);
  const work: ProduceWork = {
    records: new BenchRecords(VALUE_BYTES),
    batch: BATCH,
    perRound,
    concurrency: CLIENTS,
    ...(IDEMPOTENCY ? { idempotencyKeyPrefix: randomBytes(4).toString('hex') } : {}),
  };
  console.log(
    `bench:proxy run ${runId}: ${perRound * ROUNDS} records of ${VALUE_BYTES} B per side in ` +
      `batches of ${BATCH}, ${CLIENTS} clients, ${ROUNDS} interleaved rounds, ${PARTITIONS} partitions` +
      (IDEMPOTENCY ? ', an Idempotency-Key per request' : ''),
  );

  const { gateway, http, callers, tenantId } = await startPlatform();
  const topicName = 'bench.proxy';
  const httpTopic = await createTopic(http, callers[0] as BenchCaller, topicName, PARTITIONS);
  cleanups.push(() => deleteTopic(http, callers[0] as BenchCaller, topicName));
  const rawTopic = `bench.proxy-raw.${runId}`;
  await createKafkaTopics([rawTopic], PARTITIONS);

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  // The headers the gateway sets on each record, so both sides write the same bytes.
  const gatewayHeaders = {
    'client-id': (callers[0] as BenchCaller).clientId,
    [EVENT_HEADERS.tenantId]: tenantId,
    [EVENT_HEADERS.contentType]: JSON_CONTENT_TYPE,
  };

  // Warm-up (JIT, connections, transactional producers' first transactions), not measured; its
  // records count for the consume phase like the others.
  const written = new PartitionCounts();
  const warmUp: ProduceWork = {
    ...work,
    perRound: BATCH * CLIENTS * 2,
    ...(work.idempotencyKeyPrefix ? { idempotencyKeyPrefix: `${work.idempotencyKeyPrefix}w` } : {}),
  };
  const discard = new LoadTally();
  await httpProduceRound(http, callers, topicName, warmUp, 0, discard, written);
  await rawProduceRound(producer, rawTopic, gatewayHeaders, warmUp, 0, discard);
  if (discard.errorCount > 0) throw new Error(`warm-up failed: ${JSON.stringify(discard.errors)}`);

  const stack = [
    meteredPid('gateway', gateway.pid),
    ...(await meteredDevServices(REPO_ROOT)),
    meteredBench(),
  ];
  const meter = () => ({ tally: new LoadTally(), cpu: new StackCpuMeter(stack) });
  const figures: Record<string, unknown> = {
    runId,
    records: perRound * ROUNDS,
    valueBytes: VALUE_BYTES,
    batch: BATCH,
    clients: CLIENTS,
    rounds: ROUNDS,
    partitions: PARTITIONS,
    consumeLimit: CONSUME_LIMIT,
    gatewayEntry: ENTRY,
  };
  const rows: [string, Comparison][] = [];

  // Produce: HTTP batches against kafkajs sends of the same records.
  const produceHttp = meter();
  const produceRaw = meter();
  const produceMetrics = new MetricsDelta(gateway);
  await runInterleaved(
    ROUNDS,
    {
      ...produceRaw,
      round: (r, timed) =>
        timed(() => rawProduceRound(producer, rawTopic, gatewayHeaders, work, r, produceRaw.tally)),
    },
    {
      ...produceHttp,
      round: (r, timed) =>
        timed(() =>
          httpProduceRound(http, callers, topicName, work, r, produceHttp.tally, written),
        ),
      around: (run) => produceMetrics.around(run),
    },
  );
  const produce = compare(produceHttp, produceRaw);
  const produceGateway = producePathFigures(produceMetrics.samples, produce.http.records);
  rows.push(['produce', produce]);
  Object.assign(figures, { produce, produceGateway });

  // Consume: everything the HTTP side wrote, over HTTP and by a fresh kafkajs group each round.
  let consume: Comparison | undefined;
  let consumeGateway: ReturnType<typeof consumePathFigures> | undefined;
  if (PHASES.has('consume')) {
    const consumeWork: ConsumeWork = {
      limit: CONSUME_LIMIT,
      waitMs: CONSUME_WAIT_MS,
      stallMs: STALL_MS,
      valueBytes: VALUE_BYTES,
    };
    const consumeHttp = meter();
    const consumeRaw = meter();
    const consumeMetrics = new MetricsDelta(gateway);
    const groups: string[] = [];
    cleanups.push(() => deleteGroups(groups));
    await runInterleaved(
      ROUNDS,
      {
        ...consumeRaw,
        round: (r, timed) => {
          const groupId = `bench-proxy-raw-${runId}-${r}`;
          groups.push(groupId);
          return rawConsumeRound(
            kafka,
            httpTopic,
            groupId,
            written.total,
            consumeWork,
            consumeRaw.tally,
            timed,
          );
        },
      },
      {
        ...consumeHttp,
        round: (_r, timed) =>
          timed(() =>
            httpConsumeRound(http, callers, topicName, written, consumeWork, consumeHttp.tally),
          ),
        around: (run) => consumeMetrics.around(run),
      },
    );
    consume = compare(consumeHttp, consumeRaw);
    consumeGateway = consumePathFigures(consumeMetrics.samples);
    rows.push(['consume', consume]);
    Object.assign(figures, { consume, consumeGateway });
  }

  printTable(rows);
  printProduceGateway(produceGateway, produce);
  if (consume && consumeGateway) printConsumeGateway(consumeGateway, consume);

  const file = writeResults('proxy', figures);
  console.log(`figures written to ${file}`);
  const errors = Object.fromEntries(
    rows.flatMap(([phase, comparison]) => [
      ...Object.entries(comparison.http.errors).map(([k, v]) => [`${phase}.http.${k}`, v]),
      ...Object.entries(comparison.kafkajs.errors).map(([k, v]) => [`${phase}.kafkajs.${k}`, v]),
    ]),
  );
  const failed = Object.keys(errors).length > 0;
  console.log(
    JSON.stringify({
      bench: 'proxy',
      runId,
      records: perRound * ROUNDS,
      produce: summaryLine('produce', produce),
      ...(consume ? { consume: summaryLine('consume', consume) } : {}),
      errors,
      ok: !failed,
    }),
  );
  return failed ? 1 : 0;
}

// ------------------------------------------------------------------------------- platform ---

async function startPlatform(): Promise<{
  gateway: AppProcess;
  http: HttpClient;
  callers: BenchCaller[];
  tenantId: string;
}> {
  const database: TestDatabase = await createTestDatabase('bench_proxy');
  cleanups.push(() => database.drop());
  const topics = {
    commands: `bench.proxy-commands.${runId}`,
    replies: `bench.proxy-replies.${runId}`,
    usage: `bench.proxy-usage.${runId}`,
  };
  await createKafkaTopics([topics.commands, topics.replies], 1);
  await createKafkaTopics([topics.usage], 3);
  const groupId = `bench-proxy-replies-${runId}`;
  cleanups.push(() => deleteGroups([groupId]));

  const gateway = await AppProcess.start('gateway', {
    entry: ENTRY,
    runId,
    nodeArgs: GATEWAY_NODE_ARGS,
    ...(GATEWAY_PORT ? { port: Number(GATEWAY_PORT) } : {}),
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: BROKERS.join(','),
      LOG_LEVEL: GATEWAY_LOG_LEVEL,
      AUTH_JWT_PRIVATE_KEY: generateSigningKeyPem(),
      AUTH_JWT_PRIVATE_KEY_FILE: '',
      GATEWAY_COMMAND_TOPIC: topics.commands,
      GATEWAY_REPLY_TOPIC: topics.replies,
      GATEWAY_REPLY_GROUP_ID: groupId,
      // The bench's usage events stay out of the platform's billing.
      GATEWAY_USAGE_TOPIC: topics.usage,
    },
  });
  // Stopped before the topics and database it uses are deleted (cleanups run in reverse).
  cleanups.push(() => gateway.stop());
  console.log(
    `gateway (${ENTRY}) pid ${gateway.pid} at ${gateway.baseUrl}, log ${gateway.logFile}`,
  );

  const http = new HttpClient(gateway.baseUrl, CLIENTS + 2);
  cleanups.push(async () => http.close());
  const admin = await callerFor(http, await bootstrapAdmin(database.url));
  const tenantId = `bench-${runId}`;
  await createTenant(http, admin, tenantId, {
    maxPartitionsPerTopic: Math.max(12, PARTITIONS),
    produceRecordsPerSecond: 10_000_000,
    produceBytesPerSecond: 10 * 1024 * 1024 * 1024,
    consumeRecordsPerSecond: 10_000_000,
    consumeBytesPerSecond: 10 * 1024 * 1024 * 1024,
  });
  const callers: BenchCaller[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    callers.push(
      await createClient(http, admin, tenantId, `bench-${i}`, [
        SCOPES.eventsProduce,
        SCOPES.eventsConsume,
        SCOPES.topicsAdmin,
      ]),
    );
  }
  return { gateway, http, callers, tenantId };
}

async function createKafkaTopics(names: string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsAndWaitForLeaders(
      admin,
      names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
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

async function deleteGroups(groupIds: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groupIds).catch(() => undefined);
  await admin.disconnect();
}

// -------------------------------------------------------------------------------- figures ---

/** What the gateway's /metrics gained over one side's rounds (scrapes outside the clock). */
class MetricsDelta {
  samples: Samples = new Map();

  constructor(private readonly gateway: AppProcess) {}

  async around<T>(run: () => Promise<T>): Promise<T> {
    const before = await this.scrape();
    const result = await run();
    for (const [series, value] of difference(await this.scrape(), before)) {
      this.samples.set(series, (this.samples.get(series) ?? 0) + value);
    }
    return result;
  }

  private async scrape(): Promise<Samples> {
    const response = await fetch(`${this.gateway.baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`GET /metrics: ${response.status}`);
    return parseSamples(await response.text());
  }
}

function sideReport(side: { tally: LoadTally; cpu: StackCpuMeter }): SideReport {
  const summary = side.tally.summary();
  return {
    ...summary,
    cpuSeconds: Object.fromEntries(
      Object.entries(side.cpu.spent).map(([name, seconds]) => [name, round(seconds, 2)]),
    ),
    cpuMsPer1kRecords: side.cpu.perItems(summary.records, 1000),
  };
}

function compare(
  http: { tally: LoadTally; cpu: StackCpuMeter },
  raw: { tally: LoadTally; cpu: StackCpuMeter },
): Comparison {
  const httpReport = sideReport(http);
  const rawReport = sideReport(raw);
  return {
    http: httpReport,
    kafkajs: rawReport,
    ratio: round(httpReport.recordsPerSecond / rawReport.recordsPerSecond, 2),
    gatewayCpuVsClient: round(
      (httpReport.cpuMsPer1kRecords['gateway'] ?? 0) /
        (rawReport.cpuMsPer1kRecords['bench'] || Number.NaN),
      2,
    ),
  };
}

/** What the gateway's own /metrics say about the produce rounds. */
function producePathFigures(delta: Samples, records: number) {
  const ack = histogram(delta, 'gateway_produce_records_ack_seconds', 'outcome="committed"');
  const perTransaction = histogram(delta, 'gateway_produce_transaction_requests');
  const committed = total(delta, 'gateway_produce_transactions_total', 'outcome="committed"');
  return {
    requestsByOutcome: byLabel(delta, 'gateway_produce_requests_total', 'outcome'),
    /** Handing a request's records to the transaction → Kafka committed it (includes linger and queueing). */
    ackMs: {
      mean: round(ack.mean * 1000, 1),
      p50: round(ack.p50 * 1000, 1),
      p99: round(ack.p99 * 1000, 1),
    },
    transactions: byLabel(delta, 'gateway_produce_transactions_total', 'outcome'),
    requestsPerTransaction: round(perTransaction.mean, 2),
    recordsPerTransaction: committed > 0 ? round(records / committed, 1) : NaN,
    gatewayCpuSecondsFromMetrics: round(total(delta, 'process_cpu_seconds_total'), 2),
    gcSeconds: round(total(delta, 'nodejs_gc_duration_seconds_sum'), 2),
  };
}

/** Whatever the consume path exposes (gateway_consume_*), plus CPU and GC over its rounds. */
function consumePathFigures(delta: Samples) {
  const series: Record<string, number> = {};
  for (const [name, value] of delta) {
    if (name.startsWith('gateway_consume') && !name.includes('_bucket') && value !== 0)
      series[name] = round(value, 4);
  }
  const handled = histogram(delta, 'gateway_consume_request_seconds');
  return {
    /** Inside the gateway's read handler (positions, reader, metering), without HTTP and JSON. */
    handlerMs: {
      mean: round(handled.mean * 1000, 1),
      p50: round(handled.p50 * 1000, 1),
      p99: round(handled.p99 * 1000, 1),
    },
    series,
    gatewayCpuSecondsFromMetrics: round(total(delta, 'process_cpu_seconds_total'), 2),
    gcSeconds: round(total(delta, 'nodejs_gc_duration_seconds_sum'), 2),
  };
}

function byLabel(samples: Samples, name: string, label: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [series, value] of samples) {
    if (!series.startsWith(`${name}{`) || value === 0) continue;
    const key = new RegExp(`${label}="([^"]*)"`).exec(series)?.[1] ?? '';
    result[key] = (result[key] ?? 0) + value;
  }
  return result;
}

function printTable(rows: [string, Comparison][]): void {
  const header = [
    'phase',
    'side',
    'records',
    'seconds',
    'records/s',
    'MiB/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'errors',
    'cpu ms/1k rec',
    'ratio',
  ];
  const lines: string[][] = [header];
  for (const [phase, comparison] of rows) {
    for (const [side, report] of [
      ['http', comparison.http],
      ['kafkajs', comparison.kafkajs],
    ] as const) {
      lines.push([
        phase,
        side,
        String(report.records),
        report.seconds.toFixed(2),
        String(report.recordsPerSecond),
        report.mibPerSecond.toFixed(2),
        String(report.latencyMs.p50),
        String(report.latencyMs.p95),
        String(report.latencyMs.p99),
        String(Object.values(report.errors).reduce((s, n) => s + n, 0)),
        String(report.cpuMsPer1kRecords['total']),
        side === 'http' ? comparison.ratio.toFixed(2) : '',
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const line of lines)
    console.log(line.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
}

function printProduceGateway(
  figures: ReturnType<typeof producePathFigures>,
  produce: Comparison,
): void {
  console.log(
    `  produce path (gateway /metrics): Kafka transaction ack mean ${figures.ackMs.mean} ms ` +
      `(p50 ${figures.ackMs.p50}, p99 ${figures.ackMs.p99}) of a request mean ${produce.http.latencyMs.mean} ms; ` +
      `${figures.requestsPerTransaction} requests (${figures.recordsPerTransaction} records) per transaction; ` +
      `transactions ${JSON.stringify(figures.transactions)}; GC ${figures.gcSeconds} s`,
  );
  printCpu('produce', produce);
}

function printConsumeGateway(
  figures: ReturnType<typeof consumePathFigures>,
  consume: Comparison,
): void {
  console.log(
    `  consume path: ${consume.http.requests} HTTP reads of ${Math.round(consume.http.records / (consume.http.requests || 1))} records, ` +
      `read handler mean ${figures.handlerMs.mean} ms (p50 ${figures.handlerMs.p50}, p99 ${figures.handlerMs.p99}) ` +
      `of a request mean ${consume.http.latencyMs.mean} ms; GC ${figures.gcSeconds} s; ` +
      `kafkajs: ${consume.kafkajs.requests} batches (its latency columns: time between batches)`,
  );
  printCpu('consume', consume);
}

function printCpu(phase: Phase, comparison: Comparison): void {
  const target = TARGETS[phase];
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  console.log(
    `  ${phase} CPU ms per 1k records: http ${formatCpu(comparison.http.cpuMsPer1kRecords)}; ` +
      `kafkajs ${formatCpu(comparison.kafkajs.cpuMsPer1kRecords)}`,
  );
  console.log(
    `  ${phase} targets (issue 14): ratio ${comparison.ratio} (≥ ${target.ratio}): ` +
      `${verdict(comparison.ratio >= target.ratio)}; gateway CPU ÷ client CPU ` +
      `${comparison.gatewayCpuVsClient} (≤ ${target.gatewayCpuVsClient}): ` +
      `${verdict(comparison.gatewayCpuVsClient <= target.gatewayCpuVsClient)}`,
  );
}

function summaryLine(phase: Phase, comparison: Comparison) {
  return {
    httpRecordsPerSecond: comparison.http.recordsPerSecond,
    kafkajsRecordsPerSecond: comparison.kafkajs.recordsPerSecond,
    httpMiBPerSecond: comparison.http.mibPerSecond,
    kafkajsMiBPerSecond: comparison.kafkajs.mibPerSecond,
    ratio: comparison.ratio,
    target: TARGETS[phase].ratio,
    gatewayCpuVsClient: comparison.gatewayCpuVsClient,
    gatewayCpuVsClientTarget: TARGETS[phase].gatewayCpuVsClient,
    httpLatencyMs: {
      p50: comparison.http.latencyMs.p50,
      p95: comparison.http.latencyMs.p95,
      p99: comparison.http.latencyMs.p99,
    },
    cpuMsPer1kRecords: {
      http: comparison.http.cpuMsPer1kRecords,
      kafkajs: comparison.kafkajs.cpuMsPer1kRecords,
    },
  };
}

async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse()) {
    await step().catch((error: unknown) =>
      console.error(`cleanup step failed: ${error instanceof Error ? error.message : error}`),
    );
  }
}

main()
  .then(async (code) => {
    await cleanup();
    process.exitCode = code;
  })
  .catch(async (error: unknown) => {
    console.error(
      `proxy bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await cleanup();
    process.exitCode = 1;
  });
