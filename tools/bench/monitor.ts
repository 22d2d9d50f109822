/**
 * `npm run bench:monitor`: how fast the monitor moves Kafka records into Elasticsearch, against
 * the same documents bulk-indexed straight into Elasticsearch by the client, in the same run.
 *
 * For each bulk concurrency in BENCH_MONITOR_CONCURRENCY (default 1,2,4):
 *  1. boots the monitor as a child process (its own topics, group, index prefix, fallback dir),
 *  2. produces BENCH_RECORDS (default 50,000) ~1 KiB envelope records across 4 topics,
 *  3. measures records/s from the first produce to the last document searchable (`_count` after
 *     refresh) and the consumer-lag drain time (end of produce → group committed everything),
 *  4. reads the monitor's documents back and bulk-indexes exactly those into a fresh index
 *     (same template, same bulk size, same concurrency): the baseline; ratio = monitor/baseline.
 * Then the fallback path: Elasticsearch cut behind a TCP proxy, records/s until everything is
 * fsync'd to the fallback files and committed, and the replay rate once the proxy is restored.
 *
 * Only 127.0.0.1 services; bounded by BENCH_TIMEOUT_MS; figures in bench-results/monitor.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, type estypes } from '@elastic/elasticsearch';
import { Kafka, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { createEnvelope } from '@event-hub/contracts';
import { parseBrokerList } from '@event-hub/kafka';
import { TcpProxy, waitFor, type WaitForOptions } from '@event-hub/testing';
import { intFromEnv, writeResults } from './support/bench-output';

const REPO_ROOT = join(__dirname, '../..');
const ES_URL = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
const BROKERS = parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
const RECORDS = intFromEnv('BENCH_RECORDS', 50000);
const RECORD_BYTES = intFromEnv('BENCH_RECORD_BYTES', 1024);
const TOPIC_COUNT = intFromEnv('BENCH_TOPICS', 4);
const PARTITIONS = intFromEnv('BENCH_PARTITIONS', 3);
const BULK_DOCS = intFromEnv('BENCH_BULK_DOCS', 1000);
const CONCURRENCIES = (process.env['BENCH_MONITOR_CONCURRENCY'] ?? '1,2,4')
  .split(',')
  .map((c) => Number(c.trim()))
  .filter((c) => Number.isInteger(c) && c > 0);
const FALLBACK_CONCURRENCY = intFromEnv('BENCH_FALLBACK_CONCURRENCY', 2);
const TIMEOUT_MS = intFromEnv('BENCH_TIMEOUT_MS', 15 * 60 * 1000);
/** `source` (default): the monitor from its TypeScript sources; `dist`: the webpack build. */
const ENTRY = process.env['BENCH_MONITOR_ENTRY'] === 'dist' ? 'dist' : 'source';

for (const url of [ES_URL, ...BROKERS.map((b) => `tcp://${b}`)]) {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`bench targets 127.0.0.1 only, not ${url}`);
}

const deadline = Date.now() + TIMEOUT_MS;
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kafka = new Kafka({
  clientId: 'bench-monitor',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
});
const es = new Client({ node: ES_URL, maxRetries: 0, requestTimeout: 60000 });
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<unknown>)[] = [];

interface MonitorProcess {
  child: ChildProcess;
  url: string;
}

interface Scenario {
  name: string;
  topics: string[];
  groupId: string;
  indexPrefix: string;
  fallbackDir: string;
}

async function main(): Promise<void> {
  const cluster = await es.cluster.health();
  console.log(
    `monitor bench ${runId}: ${RECORDS} records of ~${RECORD_BYTES} B over ${TOPIC_COUNT} topics × ${PARTITIONS} partitions; ` +
      `bulk ${BULK_DOCS} docs; concurrency ${CONCURRENCIES.join(', ')}; Elasticsearch ${cluster.status}; monitor from ${ENTRY}`,
  );
  const values = buildValues(RECORDS);

  const runs = [];
  for (const concurrency of CONCURRENCIES) {
    const scenario = await newScenario(`c${concurrency}`);
    const monitor = await measureMonitor(scenario, values, concurrency);
    const baseline = await measureBaseline(scenario, concurrency);
    const backlog = await measureMonitorBacklog(scenario, values, concurrency);
    const ratio = monitor.recordsPerSecond / baseline.recordsPerSecond;
    const backlogRatio = backlog.recordsPerSecond / baseline.recordsPerSecond;
    console.log(
      `  concurrency ${concurrency}: monitor ${fmt(monitor.recordsPerSecond)} rec/s (${monitor.seconds.toFixed(2)} s, ` +
        `lag drained ${monitor.lagDrainAfterProduceMs} ms after the last produce), baseline ${fmt(baseline.recordsPerSecond)} doc/s ` +
        `(${baseline.seconds.toFixed(2)} s) → ratio ${(ratio * 100).toFixed(1)}%; from a backlog ` +
        `${fmt(backlog.recordsPerSecond)} rec/s → ${(backlogRatio * 100).toFixed(1)}%`,
    );
    runs.push({
      concurrency,
      monitor,
      baseline,
      ratio: round(ratio, 3),
      backlog,
      backlogRatio: round(backlogRatio, 3),
    });
  }

  const fallback = await measureFallback(await newScenario('fallback'), values);
  console.log(
    `  fallback (Elasticsearch cut, noticed in ${fallback.detectionMs} ms): ${fmt(fallback.recordsPerSecond)} rec/s to disk ` +
      `from a backlog (${fallback.seconds.toFixed(2)} s), ${fmt(fallback.live.recordsPerSecond)} rec/s while producing; ` +
      `${fallback.files} files, ${(fallback.bytes / 1024 / 1024).toFixed(1)} MiB; replay ${fmt(fallback.replay.recordsPerSecond)} doc/s ` +
      `(${fallback.replay.documents} documents in ${fallback.replay.seconds.toFixed(2)} s)`,
  );

  const best = runs.reduce((a, b) =>
    b.monitor.recordsPerSecond > a.monitor.recordsPerSecond ? b : a,
  );
  const summary = {
    bestConcurrency: best.concurrency,
    bestMonitorRecordsPerSecond: best.monitor.recordsPerSecond,
    ratioAtBest: best.ratio,
    fallbackRecordsPerSecond: fallback.recordsPerSecond,
    targets: { ratio: 0.7, fallbackRecordsPerSecond: 20000 },
    meetsRatioTarget: best.ratio >= 0.7,
    meetsFallbackTarget: fallback.recordsPerSecond >= 20000,
  };
  const file = writeResults('monitor', {
    runId,
    records: RECORDS,
    recordBytes: RECORD_BYTES,
    topics: TOPIC_COUNT,
    partitions: PARTITIONS,
    bulkDocs: BULK_DOCS,
    monitorEntry: ENTRY,
    elasticsearch: cluster.status,
    runs,
    fallback,
    summary,
  });
  console.log(
    `best: concurrency ${best.concurrency}, ${fmt(best.monitor.recordsPerSecond)} rec/s = ${(best.ratio * 100).toFixed(1)}% of direct bulk ` +
      `(target ≥ 70%): ${summary.meetsRatioTarget ? 'met' : 'NOT met'}; fallback ${fmt(fallback.recordsPerSecond)} rec/s ` +
      `(target ≥ 20,000): ${summary.meetsFallbackTarget ? 'met' : 'NOT met'}\nfigures: ${file}`,
  );
}

// ---------------------------------------------------------------------------------- scenarios ---

async function newScenario(name: string): Promise<Scenario> {
  const base = `bench-monitor.${runId}.${name}`;
  const topics = Array.from({ length: TOPIC_COUNT }, (_, i) => `${base}.t${i}`);
  const scenario: Scenario = {
    name,
    topics,
    groupId: `${base}.group`,
    indexPrefix: `bench-logs-${runId}-${name}`,
    fallbackDir: await mkdtemp(join(tmpdir(), 'bench-monitor-fallback-')),
  };
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
    }),
  );
  cleanups.push(async () => {
    await withAdmin(async (admin) => {
      await admin.deleteTopics({ topics, timeout: 10000 }).catch(() => undefined);
      await admin.deleteGroups([scenario.groupId]).catch(() => undefined);
    });
    await es.indices
      .delete({
        index: `${scenario.indexPrefix}-*`,
        ignore_unavailable: true,
        allow_no_indices: true,
      })
      .catch(() => undefined);
    await es.indices.deleteIndexTemplate({ name: scenario.indexPrefix }).catch(() => undefined);
    await rm(scenario.fallbackDir, { recursive: true, force: true });
  });
  return scenario;
}

async function measureMonitor(scenario: Scenario, values: Buffer[], concurrency: number) {
  const monitor = await startMonitor(scenario, { MONITOR_BULK_CONCURRENCY: String(concurrency) });
  try {
    await warmUp(scenario);
    const started = performance.now();
    const produced = produceAll(scenario, values);
    await untilCount(scenario.indexPrefix, RECORDS + scenario.topics.length, 'monitor indexing');
    const searchable = performance.now();
    const produceEnded = await produced;
    await untilCommitted(scenario);
    const drained = performance.now();
    const seconds = (searchable - started) / 1000;
    return {
      seconds: round(seconds, 3),
      recordsPerSecond: Math.round(RECORDS / seconds),
      produceSeconds: round((produceEnded - started) / 1000, 3),
      lagDrainAfterProduceMs: Math.round(drained - produceEnded),
      firstProduceToCommittedSeconds: round((drained - started) / 1000, 3),
    };
  } finally {
    await stopMonitor(monitor);
  }
}

/**
 * The same monitor reading a backlog already in Kafka: nothing else (no producer) competes with
 * Elasticsearch for the CPU, so this isolates the monitor's own pipeline. The clock starts at its
 * first record read (after its start and group join).
 */
async function measureMonitorBacklog(scenario: Scenario, values: Buffer[], concurrency: number) {
  await produceAll(scenario, values);
  const monitor = await startMonitor(scenario, { MONITOR_BULK_CONCURRENCY: String(concurrency) });
  try {
    let firstRead = 0;
    await waitFor(
      async () => {
        const metrics = await (await fetch(`${monitor.url}/metrics`)).text();
        if (/^monitor_records_read_total\{[^}]*\} [1-9]/m.test(metrics))
          firstRead = performance.now();
        return firstRead > 0;
      },
      benchWait('the monitor to start reading the backlog', 10),
    );
    const expected = 2 * RECORDS + scenario.topics.length;
    await untilCount(scenario.indexPrefix, expected, 'monitor indexing from a backlog');
    const seconds = (performance.now() - firstRead) / 1000;
    return { seconds: round(seconds, 3), recordsPerSecond: Math.round(RECORDS / seconds) };
  } finally {
    await stopMonitor(monitor);
  }
}

/** The monitor's own documents, bulk-indexed by the client into a fresh index with the same template. */
async function measureBaseline(scenario: Scenario, concurrency: number) {
  // Outside the monitor's pattern, so its counts never include the baseline's documents.
  const prefix = scenario.indexPrefix.replace('bench-logs-', 'bench-baseline-');
  const template = (await es.indices.getIndexTemplate({ name: scenario.indexPrefix }))
    .index_templates[0];
  if (!template) throw new Error('the monitor did not install its index template');
  await es.indices.putIndexTemplate({
    name: prefix,
    index_patterns: [`${prefix}-*`],
    priority: (template.index_template.priority ?? 0) + 1,
    template: template.index_template
      .template as estypes.IndicesPutIndexTemplateIndexTemplateMapping,
  });
  cleanups.push(async () => {
    await es.indices
      .delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true })
      .catch(() => undefined);
    await es.indices.deleteIndexTemplate({ name: prefix }).catch(() => undefined);
  });

  const lines = await readBackDocuments(scenario.indexPrefix, prefix);
  const batches: string[][] = [];
  for (let i = 0; i < lines.length; i += BULK_DOCS * 2)
    batches.push(lines.slice(i, i + BULK_DOCS * 2));

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const operations = batches[next++] as string[];
        const response = await es.bulk({ operations, filter_path: 'errors,items.*.status' });
        if (response.errors) throw new Error('baseline bulk had item errors');
      }
    }),
  );
  await untilCount(prefix, RECORDS, 'baseline indexing');
  const seconds = (performance.now() - started) / 1000;
  return { seconds: round(seconds, 3), recordsPerSecond: Math.round(RECORDS / seconds) };
}

async function measureFallback(scenario: Scenario, values: Buffer[]) {
  const target = new URL(ES_URL);
  const proxy = await new TcpProxy(target.hostname, Number(target.port || 9200)).start();
  cleanups.push(() => proxy.stop());
  const env = {
    ELASTICSEARCH_URL: `http://127.0.0.1:${proxy.port}`,
    MONITOR_BULK_CONCURRENCY: String(FALLBACK_CONCURRENCY),
    MONITOR_ES_PROBE_INTERVAL_MS: '1000',
  };
  let monitor = await startMonitor(scenario, env);
  try {
    await warmUp(scenario);
    // Cut Elasticsearch and let the monitor notice (one record per topic spilled and committed):
    // detection costs the retry budget once.
    proxy.cut();
    const cutAt = performance.now();
    await produceWarmUp(scenario);
    await untilCommitted(scenario);
    const detectionMs = Math.round(performance.now() - cutAt);

    // Live: records produced while spilling; the producer on this box paces this figure.
    const liveStarted = performance.now();
    const produced = produceAll(scenario, values);
    await untilCommitted(scenario);
    const liveSeconds = (performance.now() - liveStarted) / 1000;
    await produced;

    // Backlog: the disk path's own rate, reading records already in Kafka (the monitor restarts
    // while Elasticsearch is still cut, so it spills from its first batch on).
    await stopMonitor(monitor);
    await produceAll(scenario, values);
    const before = (await directorySize(scenario.fallbackDir)).bytes;
    monitor = await startMonitor(scenario, env);
    let firstWrite = 0;
    await withAdmin((admin) =>
      waitFor(
        async () => {
          if (firstWrite === 0 && (await directorySize(scenario.fallbackDir)).bytes > before) {
            firstWrite = performance.now();
          }
          return firstWrite > 0 && (await committedEverything(admin, scenario));
        },
        benchWait('the backlog to be spilled and committed', 20),
      ),
    );
    const backlogSeconds = (performance.now() - firstWrite) / 1000;
    const { bytes, files } = await directorySize(scenario.fallbackDir);

    proxy.restore();
    const replayStarted = performance.now();
    const total = 2 * RECORDS + 2 * scenario.topics.length;
    await untilCount(scenario.indexPrefix, total, 'the replay');
    await waitFor(
      async () => (await directorySize(scenario.fallbackDir)).files === 0,
      benchWait('the fallback directory to empty'),
    );
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    return {
      detectionMs,
      /** From a backlog in Kafka: records/s appended, fsync'd and committed. */
      seconds: round(backlogSeconds, 3),
      recordsPerSecond: Math.round(RECORDS / backlogSeconds),
      /** While the bench produces at the same time (first produce → committed). */
      live: { seconds: round(liveSeconds, 3), recordsPerSecond: Math.round(RECORDS / liveSeconds) },
      bytes,
      files,
      replay: {
        documents: total,
        seconds: round(replaySeconds, 3),
        recordsPerSecond: Math.round(total / replaySeconds),
      },
    };
  } finally {
    await stopMonitor(monitor);
  }
}

// ------------------------------------------------------------------------------------ helpers ---

function buildValues(count: number): Buffer[] {
  const filler = randomBytes(RECORD_BYTES).toString('base64');
  const values: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const envelope = createEnvelope({
      eventType: 'bench.record',
      source: 'bench',
      tenantId: 'bench',
      data: { i, name: `user ${i}`, email: `user${i}@example.com`, note: '' },
    });
    const overhead = Buffer.byteLength(JSON.stringify(envelope));
    envelope.data.note = filler.slice(0, Math.max(0, RECORD_BYTES - overhead));
    values.push(Buffer.from(JSON.stringify(envelope)));
  }
  return values;
}

/** One record per topic, indexed, so the consumer has joined before the clock starts. */
async function warmUp(scenario: Scenario): Promise<void> {
  await produceWarmUp(scenario);
  await untilCount(scenario.indexPrefix, scenario.topics.length, 'the warm-up records');
}

async function produceWarmUp(scenario: Scenario): Promise<void> {
  const producer = await connectProducer();
  try {
    for (const topic of scenario.topics) {
      await producer.send({ topic, acks: -1, messages: [{ value: '{"warmUp":true}' }] });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Produces every value round-robin over the topics; resolves with the time the last was acked. */
async function produceAll(scenario: Scenario, values: Buffer[]): Promise<number> {
  const producer = await connectProducer();
  try {
    const chunk = 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < values.length) {
          const start = next;
          next += chunk;
          const byTopic = new Map<string, Message[]>();
          values.slice(start, start + chunk).forEach((value, i) => {
            const topic = scenario.topics[(start + i) % scenario.topics.length] as string;
            const messages = byTopic.get(topic) ?? [];
            messages.push({ key: `k${(start + i) % 1000}`, value });
            byTopic.set(topic, messages);
          });
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
        }
      }),
    );
    return performance.now();
  } finally {
    await producer.disconnect();
  }
}

async function connectProducer(): Promise<Producer> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

async function readBackDocuments(fromPrefix: string, toPrefix: string): Promise<string[]> {
  const lines: string[] = [];
  let response = await es.search<Record<string, unknown>>({
    index: `${fromPrefix}-*`,
    scroll: '2m',
    size: 5000,
    sort: ['_doc'],
    query: { term: { eventType: 'bench.record' } },
  });
  while (response.hits.hits.length > 0) {
    for (const hit of response.hits.hits) {
      const index = hit._index.replace(fromPrefix, toPrefix);
      lines.push(
        JSON.stringify({ create: { _index: index, _id: hit._id } }),
        JSON.stringify(hit._source),
      );
    }
    response = await es.scroll<Record<string, unknown>>({
      scroll_id: response._scroll_id as string,
      scroll: '2m',
    });
  }
  await es.clearScroll({ scroll_id: response._scroll_id as string }).catch(() => undefined);
  if (lines.length !== RECORDS * 2)
    throw new Error(`read back ${lines.length / 2} documents, expected ${RECORDS}`);
  return lines;
}

async function untilCount(prefix: string, expected: number, what: string): Promise<void> {
  let last = 0;
  await waitFor(
    async () => {
      await es.indices.refresh({
        index: `${prefix}-*`,
        ignore_unavailable: true,
        allow_no_indices: true,
      });
      last = (
        await es.count({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true })
      ).count;
      if (last > expected)
        throw new Error(`${what}: ${last} documents, more than the ${expected} expected`);
      return last === expected;
    },
    benchWait(`${what} (${expected} documents)`, 250),
  );
}

async function untilCommitted(scenario: Scenario): Promise<void> {
  await withAdmin((admin) =>
    waitFor(
      () => committedEverything(admin, scenario),
      benchWait('the consumer group to commit everything'),
    ),
  );
}

async function committedEverything(admin: Admin, scenario: Scenario): Promise<boolean> {
  for (const topic of scenario.topics) {
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: scenario.groupId, topics: [topic] }),
    ]);
    for (const end of ends) {
      const offset =
        committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      if (Number(end.high) > 0 && Number(offset) < Number(end.high)) return false;
    }
  }
  return true;
}

/** A wait of the bench: within what is left of BENCH_TIMEOUT_MS, and a probe's error ends it. */
function benchWait(what: string, intervalMs = 100): WaitForOptions {
  return {
    what: `${what} (bench timeout BENCH_TIMEOUT_MS)`,
    timeoutMs: Math.max(0, deadline - Date.now()),
    intervalMs,
    retryErrors: false,
  };
}

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

async function directorySize(dir: string): Promise<{ bytes: number; files: number }> {
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.ndjson'));
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
  return { bytes, files: names.length };
}

async function startMonitor(
  scenario: Scenario,
  overrides: Record<string, string>,
): Promise<MonitorProcess> {
  const port = await freePort();
  // BENCH_MONITOR_NODE_ARGS passes flags to the monitor's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env['BENCH_MONITOR_NODE_ARGS'] ?? '')
    .split(' ')
    .filter((a) => a.length > 0);
  const entry =
    ENTRY === 'dist'
      ? ['dist/apps/monitor/main.js']
      : ['-r', '@swc-node/register', 'apps/monitor/src/main.ts'];
  const args = [...nodeArgs, ...entry];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: process.env['SWC_NODE_PROJECT'] ?? 'tools/bench/tsconfig.json',
      NODE_ENV: 'production',
      LOG_LEVEL: process.env['BENCH_MONITOR_LOG_LEVEL'] ?? 'warn',
      HTTP_HOST: '127.0.0.1',
      MONITOR_PORT: String(port),
      ELASTICSEARCH_URL: ES_URL,
      KAFKA_BROKERS: BROKERS.join(','),
      MONITOR_GROUP_ID: scenario.groupId,
      MONITOR_TOPIC_PATTERN: `^${scenario.topics[0]?.replace(/\.t0$/, '').replace(/[.]/g, '\\.')}\\.`,
      MONITOR_INDEX_PREFIX: scenario.indexPrefix,
      MONITOR_FALLBACK_DIR: scenario.fallbackDir,
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '1000',
      MONITOR_BULK_MAX_DOCS: String(BULK_DOCS),
      ...overrides,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`monitor exited with ${child.exitCode}`);
      return fetch(`http://127.0.0.1:${port}/health`).then(
        () => true,
        () => false,
      );
    },
    benchWait('the monitor to serve /health', 250),
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stopMonitor({ child }: MonitorProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

async function cleanup(): Promise<void> {
  for (const child of children) await stopMonitor({ child, url: '' });
  for (const step of cleanups.reverse()) await step().catch(() => undefined);
  await es.close();
}

main()
  .then(cleanup)
  .catch(async (error: unknown) => {
    console.error(
      `monitor bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await cleanup();
    process.exitCode = 1;
  });
