/**
 * `npm run bench:monitor`: how fast the monitor moves Kafka records into Elasticsearch, against
 * the same documents bulk-indexed straight into Elasticsearch by the client, in the same run.
 *
 * For each bulk concurrency in BENCH_MONITOR_CONCURRENCY (default 1,2,4):
 *  1. boots the monitor as a child process (its own topics, group, index prefix, fallback dir),
 *  2. live: produces BENCH_RECORDS (default 50,000, so a phase lasts seconds, not the fixed
 *     latencies of one fetch or poll) ~1 KiB envelope records across 4 topics and measures
 *     records/s from the first produce to the last document searchable, and the consumer-lag
 *     drain time (end of produce → group committed everything),
 *  3. direct bulk: reads the monitor's documents back and bulk-indexes exactly those into a fresh
 *     index (same template, BENCH_BULK_DOCS per request as the monitor's MONITOR_BULK_MAX_DOCS,
 *     the same number of requests in flight); live ratio = monitor / this run; then once more
 *     while the bench produces the same records into topics no monitor reads (the load the live
 *     phase carries on this machine: the bench's producer and Kafka): the "loaded" ratio,
 *  4. backlog: a fresh monitor, frozen while BENCH_RECORDS more are produced, timed from its
 *     resume, then direct bulk again right after; backlog ratio = backlog / that second run.
 * "Searchable" ends every one of these phases the same way: Elasticsearch's indexing counter
 * polled every BENCH_MONITOR_POLL_MS (20) until it has them all, then one refresh and `_count`,
 * which must match exactly.
 * Then a steady phase: BENCH_MONITOR_STEADY_RECORDS (10,000) produced at BENCH_MONITOR_RATE
 * (1,000) records/s, the monitor's CPU per record there against its backlog figure (what fixed
 * costs per fetch, bulk and commit add at a moderate rate), after BENCH_MONITOR_IDLE_SECONDS (5)
 * of the monitor idle.
 * Then the fallback path: Elasticsearch cut behind a TCP proxy, records/s until everything is
 * fsync'd to the fallback files and committed, and the replay rate once the proxy is restored.
 * Beside each rate: CPU ms per 1,000 records of the monitor, Kafka, Elasticsearch, Postgres and
 * the bench itself (from /proc). An Elasticsearch or monitor answer that is not the expected one
 * fails the run (exit 1).
 *
 * Only 127.0.0.1 services; bounded by BENCH_TIMEOUT_MS; figures in bench-results/monitor.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, type estypes } from '@elastic/elasticsearch';
import { Kafka, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { parseBrokerList } from '@event-hub/kafka';
import { TcpProxy, waitFor, type WaitForOptions } from '@event-hub/testing';
import { freePort, REPO_ROOT, stopProcess } from './support/app-process';
import { intFromEnv, writeResults } from './support/bench-output';
import { buildMonitorValues } from './support/monitor-records';
import {
  formatCpu,
  meteredBench,
  meteredDevServices,
  meteredPid,
  StackCpuMeter,
  type CpuByProcess,
  type MeteredProcess,
} from './support/process-cpu';

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
/** Records/s of the steady phase: a moderate rate, where fixed costs per fetch and bulk show. */
const STEADY_RATE = intFromEnv('BENCH_MONITOR_RATE', 1000);
/** Records of the steady phase (10 s at the default rate). */
const STEADY_RECORDS = intFromEnv('BENCH_MONITOR_STEADY_RECORDS', 10000);
/** How often a measured phase asks Elasticsearch whether all its documents are indexed. */
const POLL_MS = intFromEnv('BENCH_MONITOR_POLL_MS', 20);
/** Seconds the steady phase's monitor sits idle (joined, nothing to read) before it starts. */
const IDLE_SECONDS = intFromEnv('BENCH_MONITOR_IDLE_SECONDS', 5);
const TIMEOUT_MS = intFromEnv('BENCH_TIMEOUT_MS', 15 * 60 * 1000);
/** `source` (default): the monitor from its TypeScript sources; `dist`: the webpack build. */
const ENTRY = process.env['BENCH_MONITOR_ENTRY'] === 'dist' ? 'dist' : 'source';
/** The monitor's HTTP port (the monitors of a run start one after the other); unset: a free one. */
const MONITOR_PORT = optionalPort('BENCH_MONITOR_PORT');
/** The fallback scenario's TCP proxy in front of Elasticsearch; unset: a free port. */
const ES_PROXY_PORT = optionalPort('BENCH_MONITOR_ES_PROXY_PORT');

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

/** Kafka, Elasticsearch, Postgres and the bench: metered in every phase, beside the monitor. */
let services: MeteredProcess[] = [];

/**
 * CPU of the stack (with the monitor, when it runs) over `run`, in ms per 1,000 of `records`
 * (BENCH_RECORDS unless told).
 */
async function cpuPer1kRecords<T>(
  monitor: MonitorProcess | undefined,
  run: () => Promise<T>,
  records = RECORDS,
): Promise<{ result: T; cpuMsPer1kRecords: CpuByProcess }> {
  const meter = new StackCpuMeter([
    ...(monitor ? [meteredPid('monitor', monitor.child.pid)] : []),
    ...services,
  ]);
  const result = await meter.measure(run);
  return { result, cpuMsPer1kRecords: meter.perItems(records, 1000) };
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
  const values = buildMonitorValues(RECORDS, RECORD_BYTES);
  services = [...(await meteredDevServices(REPO_ROOT)), meteredBench()];

  const runs = [];
  for (const concurrency of CONCURRENCIES) {
    const scenario = await newScenario(`c${concurrency}`);
    // Each monitor phase is followed by direct bulk of the same documents (same bulk size, same
    // concurrency), and its ratio is to that run: the machine's load of the moment hits both.
    const monitor = await measureMonitor(scenario, values, concurrency);
    const documents = await baselineDocuments(scenario);
    const baseline = await measureBaseline(scenario, documents, concurrency, 'live');
    const loaded = await measureBaseline(scenario, documents, concurrency, 'loaded', {
      scenario: await newScenario(`c${concurrency}-load`),
      values,
    });
    const backlog = await measureMonitorBacklog(scenario, values, concurrency);
    const backlogBaseline = await measureBaseline(scenario, documents, concurrency, 'backlog');
    const ratio = monitor.recordsPerSecond / baseline.recordsPerSecond;
    const loadedRatio = monitor.recordsPerSecond / loaded.recordsPerSecond;
    const backlogRatio = backlog.recordsPerSecond / backlogBaseline.recordsPerSecond;
    console.log(
      `  concurrency ${concurrency}: monitor ${fmt(monitor.recordsPerSecond)} rec/s (${monitor.seconds.toFixed(2)} s, ` +
        `produced in ${monitor.produceSeconds.toFixed(2)} s, lag drained ${monitor.lagDrainAfterProduceMs} ms after the last produce), ` +
        `direct bulk ${fmt(baseline.recordsPerSecond)} doc/s (${baseline.seconds.toFixed(2)} s) → ratio ${(ratio * 100).toFixed(1)}%, ` +
        `direct bulk while the same records are produced ${fmt(loaded.recordsPerSecond)} doc/s (${loaded.seconds.toFixed(2)} s) → ${(loadedRatio * 100).toFixed(1)}%; ` +
        `from a backlog ${fmt(backlog.recordsPerSecond)} rec/s (${backlog.seconds.toFixed(2)} s), direct bulk ` +
        `${fmt(backlogBaseline.recordsPerSecond)} doc/s (${backlogBaseline.seconds.toFixed(2)} s) → ${(backlogRatio * 100).toFixed(1)}%`,
    );
    console.log(
      `    CPU ms per 1k records, monitor live:     ${formatCpu(monitor.cpuMsPer1kRecords)}`,
    );
    console.log(
      `    CPU ms per 1k records, direct bulk:      ${formatCpu(baseline.cpuMsPer1kRecords)}`,
    );
    console.log(
      `    CPU ms per 1k records, direct bulk while producing: ${formatCpu(loaded.cpuMsPer1kRecords)}`,
    );
    console.log(
      `    CPU ms per 1k records, monitor backlog:  ${formatCpu(backlog.cpuMsPer1kRecords)}`,
    );
    console.log(
      `    CPU ms per 1k records, direct bulk (2):  ${formatCpu(backlogBaseline.cpuMsPer1kRecords)}`,
    );
    runs.push({
      concurrency,
      monitor,
      baseline,
      ratio: round(ratio, 3),
      loaded,
      loadedRatio: round(loadedRatio, 3),
      backlog,
      backlogBaseline,
      backlogRatio: round(backlogRatio, 3),
    });
  }

  const steady = await measureSteady(await newScenario('steady'), values);
  const backlogAtDefault = runs.find((r) => r.concurrency === 2)?.backlog;
  console.log(
    `  steady ${fmt(STEADY_RATE)} rec/s offered (2 bulks in flight): ${fmt(steady.recordsPerSecond)} rec/s produced, ` +
      `last searchable ${steady.searchableAfterProduceMs} ms after the last produce; monitor idle ${steady.idleMsPerSecond} CPU ms/s` +
      (backlogAtDefault
        ? `; monitor CPU ${round((steady.cpuMsPer1kRecords['monitor'] ?? 0) / (backlogAtDefault.cpuMsPer1kRecords['monitor'] ?? 1), 2)} × its backlog figure`
        : ''),
  );
  console.log(`    CPU ms per 1k records, steady rate: ${formatCpu(steady.cpuMsPer1kRecords)}`);

  const fallback = await measureFallback(await newScenario('fallback'), values);
  console.log(
    `  fallback (Elasticsearch cut, noticed in ${fallback.detectionMs} ms): ${fmt(fallback.recordsPerSecond)} rec/s to disk ` +
      `from a backlog (${fallback.seconds.toFixed(2)} s), ${fmt(fallback.live.recordsPerSecond)} rec/s while producing; ` +
      `${fallback.files} files, ${(fallback.bytes / 1024 / 1024).toFixed(1)} MiB; replay ${fmt(fallback.replay.recordsPerSecond)} doc/s ` +
      `(${fallback.replay.documents} documents in ${fallback.replay.seconds.toFixed(2)} s)`,
  );
  console.log(
    `    CPU ms per 1k records, spilling a backlog: ${formatCpu(fallback.cpuMsPer1kRecords)}`,
  );
  console.log(
    `    CPU ms per 1k records, spilling while producing: ${formatCpu(fallback.live.cpuMsPer1kRecords)}`,
  );
  console.log(
    `    CPU ms per 1k documents, replay: ${formatCpu(fallback.replay.cpuMsPer1kRecords)}`,
  );

  const best = runs.reduce((a, b) =>
    b.monitor.recordsPerSecond > a.monitor.recordsPerSecond ? b : a,
  );
  const summary = {
    bestConcurrency: best.concurrency,
    bestMonitorRecordsPerSecond: best.monitor.recordsPerSecond,
    ratioAtBest: best.ratio,
    fallbackRecordsPerSecond: fallback.recordsPerSecond,
    targets: { ratio: 0.85, fallbackRecordsPerSecond: 20000 },
    meetsRatioTarget: best.ratio >= 0.85,
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
    steady,
    fallback,
    summary,
  });
  console.log(
    `best: concurrency ${best.concurrency}, ${fmt(best.monitor.recordsPerSecond)} rec/s = ${(best.ratio * 100).toFixed(1)}% of direct bulk ` +
      `(target ≥ 85%, issue 14): ${summary.meetsRatioTarget ? 'met' : 'NOT met'}; fallback ${fmt(fallback.recordsPerSecond)} rec/s ` +
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
    const { result: times, cpuMsPer1kRecords } = await cpuPer1kRecords(monitor, async () => {
      const produced = produceAll(scenario, values);
      await untilIndexed(
        scenario.indexPrefix,
        RECORDS + scenario.topics.length,
        'monitor indexing',
      );
      const searchable = performance.now();
      const produceEnded = await produced;
      await untilCommitted(scenario);
      return { searchable, produceEnded, drained: performance.now() };
    });
    const { searchable, produceEnded, drained } = times;
    const seconds = (searchable - started) / 1000;
    return {
      /** First produce → committed, including the bench's producing. */
      cpuMsPer1kRecords,
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
 * Elasticsearch for the CPU, so this isolates the monitor's own pipeline. The monitor starts,
 * joins and catches up first, then is frozen (SIGSTOP) while the backlog is produced: the clock
 * and the CPU figures start when it resumes, so neither its start-up nor its group join count.
 */
async function measureMonitorBacklog(scenario: Scenario, values: Buffer[], concurrency: number) {
  const monitor = await startMonitor(scenario, {
    MONITOR_BULK_CONCURRENCY: String(concurrency),
    MONITOR_SESSION_TIMEOUT_MS: String(FROZEN_SESSION_TIMEOUT_MS),
  });
  try {
    await produceWarmUp(scenario);
    await untilCount(scenario.indexPrefix, RECORDS + 2 * scenario.topics.length, 'the warm-up');
    await produceWhileFrozen(monitor, scenario, values);
    let started = 0;
    const { cpuMsPer1kRecords } = await cpuPer1kRecords(monitor, async () => {
      started = performance.now();
      resume(monitor);
      const expected = 2 * RECORDS + 2 * scenario.topics.length;
      await untilIndexed(scenario.indexPrefix, expected, 'monitor indexing from a backlog');
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds: round(seconds, 3),
      recordsPerSecond: Math.round(RECORDS / seconds),
      cpuMsPer1kRecords,
    };
  } finally {
    resume(monitor);
    await stopMonitor(monitor);
  }
}

/**
 * The monitor under a steady, moderate rate (BENCH_MONITOR_RATE records/s, the default 2 bulks in
 * flight): its CPU per record there, against the backlog's, shows what fixed costs per fetch,
 * bulk and commit (and its idle work) add when records come a few at a time.
 */
async function measureSteady(scenario: Scenario, allValues: Buffer[]) {
  const values = allValues.slice(0, STEADY_RECORDS);
  const monitor = await startMonitor(scenario, {});
  try {
    await warmUp(scenario);
    await untilCommitted(scenario);
    // What it costs to wait (fetches answered empty, heartbeats, probes): a floor per second.
    const idle = new StackCpuMeter([meteredPid('monitor', monitor.child.pid)]);
    await idle.measure(() => new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000)));
    const idleMsPerSecond = round(idle.perItems(IDLE_SECONDS, 1)['monitor'] ?? NaN, 1);
    const started = performance.now();
    const { result: times, cpuMsPer1kRecords } = await cpuPer1kRecords(
      monitor,
      async () => {
        const produceEnded = await produceAtRate(scenario, values, STEADY_RATE);
        await untilIndexed(
          scenario.indexPrefix,
          values.length + scenario.topics.length,
          'steady indexing',
        );
        const searchable = performance.now();
        await untilCommitted(scenario);
        return { produceEnded, searchable };
      },
      values.length,
    );
    const produceSeconds = (times.produceEnded - started) / 1000;
    return {
      offeredPerSecond: STEADY_RATE,
      records: values.length,
      produceSeconds: round(produceSeconds, 3),
      recordsPerSecond: Math.round(values.length / produceSeconds),
      searchableAfterProduceMs: Math.round(times.searchable - times.produceEnded),
      /** The monitor's CPU ms per second while idle, before the records. */
      idleMsPerSecond,
      /** First produce → last record searchable and committed. */
      cpuMsPer1kRecords,
    };
  } finally {
    await stopMonitor(monitor);
  }
}

/** Produces every value round-robin over the topics at `rate` per second (10 ms ticks). */
async function produceAtRate(scenario: Scenario, values: Buffer[], rate: number): Promise<number> {
  const producer = await connectProducer();
  try {
    const started = performance.now();
    let next = 0;
    while (next < values.length) {
      const due = Math.min(
        values.length,
        Math.floor(((performance.now() - started) / 1000) * rate),
      );
      if (due > next) {
        const byTopic = new Map<string, Message[]>();
        for (; next < due; next++) {
          const topic = scenario.topics[next % scenario.topics.length] as string;
          const messages = byTopic.get(topic) ?? [];
          messages.push({ key: `k${next % 1000}`, value: values[next] as Buffer });
          byTopic.set(topic, messages);
        }
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now();
  } finally {
    await producer.disconnect();
  }
}

/** Longer than producing a backlog takes, so a frozen monitor keeps its partitions. */
const FROZEN_SESSION_TIMEOUT_MS = 120000;

/** Produces every value while the monitor is stopped (SIGSTOP); `resume` lets it go on. */
async function produceWhileFrozen(
  monitor: MonitorProcess,
  scenario: Scenario,
  values: Buffer[],
): Promise<void> {
  monitor.child.kill('SIGSTOP');
  try {
    await produceAll(scenario, values);
  } catch (error) {
    resume(monitor);
    throw error;
  }
}

function resume(monitor: MonitorProcess): void {
  monitor.child.kill('SIGCONT');
}

/** The monitor's documents of the live phase, as bulk lines (action, source) for the baseline. */
function baselineDocuments(
  scenario: Scenario,
): Promise<{ id: string; index: string; source: string }[]> {
  return readBackDocuments(scenario.indexPrefix);
}

/**
 * The monitor's own documents, bulk-indexed by the client into a fresh index with the same
 * template, BULK_DOCS per request (the monitor's MONITOR_BULK_MAX_DOCS), `concurrency` requests
 * in flight (its MONITOR_BULK_CONCURRENCY), timed to the same end as the monitor's phases.
 */
async function measureBaseline(
  scenario: Scenario,
  documents: { id: string; index: string; source: string }[],
  concurrency: number,
  label: string,
  /** Produce these values into this scenario's topics (no monitor reads them) meanwhile. */
  load?: { scenario: Scenario; values: Buffer[] },
) {
  // Outside the monitor's pattern, so its counts never include the baseline's documents.
  const prefix = scenario.indexPrefix.replace('bench-logs-', `bench-baseline-${label}-`);
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

  const lines: string[] = [];
  for (const document of documents) {
    const index = document.index.replace(scenario.indexPrefix, prefix);
    lines.push(JSON.stringify({ create: { _index: index, _id: document.id } }), document.source);
  }
  const batches: string[][] = [];
  for (let i = 0; i < lines.length; i += BULK_DOCS * 2)
    batches.push(lines.slice(i, i + BULK_DOCS * 2));

  const started = performance.now();
  let seconds = 0;
  let next = 0;
  const { cpuMsPer1kRecords } = await cpuPer1kRecords(undefined, async () => {
    const produced = load ? produceAll(load.scenario, load.values) : undefined;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const operations = batches[next++] as string[];
          const response = await es.bulk({ operations, filter_path: 'errors,items.*.status' });
          const created = response.items?.filter((item) => item.create?.status === 201).length;
          if (response.errors || created !== operations.length / 2)
            throw new Error(`baseline bulk: ${created ?? 0} of ${operations.length / 2} created`);
        }
      }),
    );
    await untilIndexed(prefix, RECORDS, 'baseline indexing');
    // The producing is load only: the clock stops at the last document searchable, as above.
    seconds = (performance.now() - started) / 1000;
    await produced;
  });
  return {
    seconds: round(seconds, 3),
    recordsPerSecond: Math.round(RECORDS / seconds),
    cpuMsPer1kRecords,
  };
}

async function measureFallback(scenario: Scenario, values: Buffer[]) {
  const target = new URL(ES_URL);
  const proxy = await new TcpProxy(target.hostname, Number(target.port || 9200)).start(
    ES_PROXY_PORT,
  );
  cleanups.push(() => proxy.stop());
  const env = {
    ELASTICSEARCH_URL: `http://127.0.0.1:${proxy.port}`,
    MONITOR_BULK_CONCURRENCY: String(FALLBACK_CONCURRENCY),
    MONITOR_ES_PROBE_INTERVAL_MS: '1000',
    MONITOR_SESSION_TIMEOUT_MS: String(FROZEN_SESSION_TIMEOUT_MS),
  };
  const monitor = await startMonitor(scenario, env);
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
    let liveSeconds = 0;
    const live = await cpuPer1kRecords(monitor, async () => {
      const produced = produceAll(scenario, values);
      await untilCommitted(scenario);
      liveSeconds = (performance.now() - liveStarted) / 1000;
      await produced;
    });

    // Backlog: the disk path's own rate, reading records already in Kafka: the spilling monitor
    // is frozen while they are produced, and measured from when it resumes.
    await produceWhileFrozen(monitor, scenario, values);
    let started = 0;
    const { cpuMsPer1kRecords } = await cpuPer1kRecords(monitor, async () => {
      started = performance.now();
      resume(monitor);
      await untilCommitted(scenario);
    });
    const backlogSeconds = (performance.now() - started) / 1000;
    const { bytes, files } = await directorySize(scenario.fallbackDir);

    const total = 2 * RECORDS + 2 * scenario.topics.length;
    const replayStarted = performance.now();
    const replay = await cpuPer1kRecords(
      monitor,
      async () => {
        proxy.restore();
        await untilCount(scenario.indexPrefix, total, 'the replay');
        await waitFor(
          async () => (await directorySize(scenario.fallbackDir)).files === 0,
          benchWait('the fallback directory to empty'),
        );
      },
      total,
    );
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    return {
      detectionMs,
      /** From a backlog in Kafka: records/s appended, fsync'd and committed. */
      seconds: round(backlogSeconds, 3),
      recordsPerSecond: Math.round(RECORDS / backlogSeconds),
      cpuMsPer1kRecords,
      /** While the bench produces at the same time (first produce → committed). */
      live: {
        seconds: round(liveSeconds, 3),
        recordsPerSecond: Math.round(RECORDS / liveSeconds),
        cpuMsPer1kRecords: live.cpuMsPer1kRecords,
      },
      bytes,
      files,
      replay: {
        documents: total,
        seconds: round(replaySeconds, 3),
        recordsPerSecond: Math.round(total / replaySeconds),
        cpuMsPer1kRecords: replay.cpuMsPer1kRecords,
      },
    };
  } finally {
    resume(monitor);
    await stopMonitor(monitor);
  }
}

// ------------------------------------------------------------------------------------ helpers ---

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

async function readBackDocuments(
  fromPrefix: string,
): Promise<{ id: string; index: string; source: string }[]> {
  const documents: { id: string; index: string; source: string }[] = [];
  let response = await es.search<Record<string, unknown>>({
    index: `${fromPrefix}-*`,
    scroll: '2m',
    size: 5000,
    sort: ['_doc'],
    query: { term: { eventType: 'bench.record' } },
  });
  while (response.hits.hits.length > 0) {
    for (const hit of response.hits.hits) {
      documents.push({
        id: hit._id as string,
        index: hit._index,
        source: JSON.stringify(hit._source),
      });
    }
    response = await es.scroll<Record<string, unknown>>({
      scroll_id: response._scroll_id as string,
      scroll: '2m',
    });
  }
  await es.clearScroll({ scroll_id: response._scroll_id as string }).catch(() => undefined);
  if (documents.length !== RECORDS)
    throw new Error(`read back ${documents.length} documents, expected ${RECORDS}`);
  return documents;
}

/**
 * Waits until `expected` documents of `prefix` are searchable: Elasticsearch's own indexing
 * counter (`_stats/indexing`, primaries' `index_total`, cheap and refresh-free) is polled every
 * BENCH_MONITOR_POLL_MS (20) until it reaches `expected`, then one refresh and `_count` must show
 * exactly that many (else the `_count` polling below goes on). The monitor's phases and the
 * direct bulk end the same way, so both pay the same ≤ one poll interval and one refresh, and a
 * multi-second phase is not quantized by a 250 ms refresh-and-count loop (which also made
 * Elasticsearch refresh, i.e. write small segments, four times a second under load).
 */
async function untilIndexed(prefix: string, expected: number, what: string): Promise<void> {
  const index = `${prefix}-*`;
  await waitFor(
    async () => {
      try {
        const stats = await es.indices.stats({
          index,
          metric: 'indexing',
          filter_path: '_all.primaries.indexing.index_total',
        });
        return (stats._all?.primaries?.indexing?.index_total ?? 0) >= expected;
      } catch (error) {
        if (String(error).includes('no_shard_available_action_exception')) return false;
        throw error;
      }
    },
    benchWait(`${what} (${expected} documents indexed)`, POLL_MS),
  );
  await untilCount(prefix, expected, what);
}

/** Refresh and `_count` every `intervalMs` until exactly `expected` (more fails the run). */
async function untilCount(
  prefix: string,
  expected: number,
  what: string,
  intervalMs = 250,
): Promise<void> {
  let last = 0;
  await waitFor(
    async () => {
      await es.indices.refresh({
        index: `${prefix}-*`,
        ignore_unavailable: true,
        allow_no_indices: true,
      });
      try {
        last = (
          await es.count({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true })
        ).count;
      } catch (error) {
        // An index the monitor has just created answers this until its primary shard starts.
        if (String(error).includes('no_shard_available_action_exception')) return false;
        throw error;
      }
      if (last > expected)
        throw new Error(`${what}: ${last} documents, more than the ${expected} expected`);
      return last === expected;
    },
    benchWait(`${what} (${expected} documents)`, intervalMs),
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
  const port = MONITOR_PORT || (await freePort());
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
      // Live, not ready: in the fallback scenario it starts while Elasticsearch is cut.
      return fetch(`http://127.0.0.1:${port}/health/live`).then(
        (response) => response.status === 200,
        () => false,
      );
    },
    benchWait('the monitor to serve /health/live', 250),
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

function stopMonitor({ child }: MonitorProcess): Promise<void> {
  return stopProcess(child);
}

function optionalPort(name: string): number {
  const port = intFromEnv(name, 0);
  if (port < 0 || port > 65535) throw new Error(`${name} must be a TCP port, not ${port}`);
  return port;
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
