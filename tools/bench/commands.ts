/**
 * `npm run bench:commands`: drives the running stack (`npm start`) over HTTP with `POST /users`
 * commands, first as fast as BENCH_CONCURRENCY connections allow, then at a fixed BENCH_RATE, and
 * reports throughput and p50/p95/p99 of the 202 and of accept→COMPLETED (replies observed on
 * `response_events`). Two baselines in the same run: the same gateway answering the
 * authenticated no-op `GET /auth/whoami` at the same concurrency (bounds the HTTP layer), and raw
 * kafkajs produce→consume round trips on the same broker; it prints both ratios. Beside each
 * throughput: CPU ms per command (or request) of every process of the stack, from /proc.
 * Figures go to bench-results/commands.json.
 *
 * With BENCH_COMMANDS_START_APPS=1 it starts the three built apps itself instead, on a database,
 * topics, groups and indices of the run's own (support/platform-stack.ts), and removes them after.
 *
 * It acts as a user would: a token from the client-credentials grant of the demo client that
 * `npm start` writes (or BENCH_CLIENT_ID / BENCH_CLIENT_SECRET, or the client the bench made for
 * the apps it started), and a distinct valid CPF per request. Any answer but a PENDING 202 (or the caller's own whoami), any FAILED reply and any
 * missing reply fails the run (exit 1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@event-hub/contracts';
import { IDEMPOTENT_PRODUCER, parseBrokerList } from '@event-hub/kafka';
import { intFromEnv, writeResults } from './support/bench-output';
import type { ClientCredentials } from '@event-hub/testing';
import {
  commandPhaseProblems,
  printCommandPhase,
  replyWatcher,
  runCommandPhase,
  type CommandPhaseResult,
  type CommandPipeline,
} from './support/command-load';
import { checkWhoAmI } from './commands/answers';
import { PlatformStack } from './support/platform-stack';
import { HttpClient } from './proxy/http-client';
import { callerFor, type BenchCaller } from './proxy/platform';
import { summarize, type LatencySummary } from './support/percentiles';
import {
  cpuMsPer,
  cpuSpent,
  formatCpu,
  meteredBench,
  meteredDevServices,
  meteredPid,
  pidListeningOn,
  StackCpuMeter,
  type CpuByProcess,
  type MeteredProcess,
} from './support/process-cpu';

/** Set: the bench starts its own three apps (PlatformStack) instead of driving `npm start`'s. */
const START_APPS = process.env['BENCH_COMMANDS_START_APPS'] === '1';
const GATEWAY_URL_SETTING = process.env['BENCH_GATEWAY_URL'];
const GATEWAY_URL = GATEWAY_URL_SETTING ?? 'http://127.0.0.1:8000';
const BROKERS = parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
const COMMANDS = intFromEnv('BENCH_COMMANDS', 20000);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 64);
const RATE = intFromEnv('BENCH_RATE', 500);
const RATE_SECONDS = intFromEnv('BENCH_RATE_SECONDS', 15);
const COMPLETION_TIMEOUT_MS = intFromEnv('BENCH_COMPLETION_TIMEOUT_MS', 180000);
/** The stack's apps are found by the port they listen on (their CPU is read from /proc). */
const APP_PORTS = {
  gateway: Number(new URL(GATEWAY_URL).port || 80),
  processor: intFromEnv('BENCH_PROCESSOR_PORT', 8001),
  monitor: intFromEnv('BENCH_MONITOR_PORT', 8002),
};
/** The ports of the apps the bench starts: those set, else free ones. */
const STARTED_APP_PORTS = {
  gateway: GATEWAY_URL_SETTING ? APP_PORTS.gateway : 0,
  processor: intFromEnv('BENCH_PROCESSOR_PORT', 0),
  monitor: intFromEnv('BENCH_MONITOR_PORT', 0),
};
/** Extra node flags of the apps the bench starts, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const APP_NODE_ARGS = (process.env['BENCH_COMMANDS_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

const kafka = new Kafka({
  clientId: 'bench-commands',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
});
const runId = randomUUID().slice(0, 8);

/** BENCH_CLIENT_ID/BENCH_CLIENT_SECRET, else the demo client that `npm start` created. */
function benchClient(): ClientCredentials {
  const clientId = process.env['BENCH_CLIENT_ID'];
  const clientSecret = process.env['BENCH_CLIENT_SECRET'];
  if (clientId && clientSecret) return { clientId, clientSecret };
  const file = join(__dirname, '../../.dev-services/auth/demo-client.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClientCredentials;
  } catch {
    throw new Error(
      `no API client: set BENCH_CLIENT_ID and BENCH_CLIENT_SECRET, or run \`npm start\` (it writes ${file})`,
    );
  }
}

interface NoopResult {
  label: string;
  sent: number;
  errors: number;
  answered: number;
  rejected: Record<string, number>;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  cpuMsPerRequest: CpuByProcess;
}

/**
 * The HTTP layer's bound: the same gateway, connections and token answering `GET /auth/whoami`,
 * which verifies the token and does nothing else. Each answer must name the bench's client.
 */
async function runNoopPhase(
  gatewayUrl: string,
  caller: BenchCaller,
  stack: MeteredProcess[],
  options: { label: string; connections: number; amount: number },
): Promise<NoopResult> {
  const latencies: number[] = [];
  const rejected: Record<string, number> = {};
  let answered = 0;
  const cpu = new StackCpuMeter(stack);
  const startedAt = performance.now();
  const result = await cpu.measure(() =>
    autocannon({
      url: gatewayUrl,
      connections: options.connections,
      pipelining: 1,
      amount: options.amount,
      timeout: 30,
      requests: [
        {
          method: 'GET',
          path: '/auth/whoami',
          headers: caller.headers,
          setupRequest: (request, context) => {
            (context as { sentAt?: number }).sentAt = performance.now();
            return request;
          },
          onResponse: (status, body, context) => {
            const now = performance.now();
            const answer = checkWhoAmI(status, body, caller);
            if (!answer.ok) {
              rejected[answer.problem] = (rejected[answer.problem] ?? 0) + 1;
              return;
            }
            answered += 1;
            latencies.push(now - ((context as { sentAt?: number }).sentAt ?? now));
          },
        },
      ],
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    label: options.label,
    sent: result.requests.sent,
    errors: result.errors + result.timeouts,
    answered,
    rejected,
    requestsPerSecond: Math.round(answered / seconds),
    latencyMs: summarize(latencies),
    cpuMsPerRequest: cpu.perItems(answered),
  };
}

function noopProblems(phase: NoopResult): string[] {
  const problems: string[] = [];
  if (Object.keys(phase.rejected).length > 0)
    problems.push(`${phase.label}: unexpected answers ${JSON.stringify(phase.rejected)}`);
  if (phase.errors > 0) problems.push(`${phase.label}: ${phase.errors} requests got no answer`);
  return problems;
}

/** The apps by the port each listens on, then Kafka, Elasticsearch, Postgres and this process. */
async function runningStackProcesses(): Promise<MeteredProcess[]> {
  const apps = await Promise.all(
    Object.entries(APP_PORTS).map(async ([name, port]) => {
      const pid = await pidListeningOn(port);
      if (pid === undefined)
        console.warn(`  no process listens on ${port} (${name}): its CPU is n/a`);
      return meteredPid(name, pid);
    }),
  );
  return [...apps, ...(await meteredDevServices(join(__dirname, '../..'))), meteredBench()];
}

/** The apps the bench started, then Kafka, Elasticsearch, Postgres and this process. */
async function startedStackProcesses(stack: PlatformStack): Promise<MeteredProcess[]> {
  return [
    ...stack.processes.map((app) => meteredPid(app.app, app.pid)),
    ...(await meteredDevServices(join(__dirname, '../..'))),
    meteredBench(),
  ];
}

/** Where the run's commands go: the apps it started, or the running stack's. */
interface Target {
  gatewayUrl: string;
  caller: BenchCaller;
  repliesTopic: string;
  processes: MeteredProcess[];
}

async function runningStack(): Promise<Target> {
  const health = await fetch(`${GATEWAY_URL}/health`).catch(() => undefined);
  if (health?.status !== 200) {
    throw new Error(
      `the gateway at ${GATEWAY_URL} is not healthy: start the stack with \`npm start\` first, or set BENCH_COMMANDS_START_APPS=1`,
    );
  }
  return {
    gatewayUrl: GATEWAY_URL,
    caller: await callerFor(new HttpClient(GATEWAY_URL, 1), benchClient()),
    repliesTopic: TOPICS.responseEvents,
    processes: await runningStackProcesses(),
  };
}

interface BaselineResult {
  messages: number;
  concurrency: number;
  throughputPerSecond: number;
  roundTripMs: LatencySummary;
  cpuMsPerMessage: CpuByProcess;
}

/**
 * The same broker without our code: CONCURRENCY workers each awaiting one acks=all idempotent
 * `send()` at a time (what a naive HTTP producer does), and a consumer timing each round trip.
 */
async function rawKafkaBaseline(
  messages: number,
  concurrency: number,
  stack: MeteredProcess[],
): Promise<BaselineResult> {
  const topic = `bench.raw-roundtrip.${runId}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 6, replicationFactor: 1 }],
  });

  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  const consumer = kafka.consumer({ groupId: `bench-raw-${runId}`, maxWaitTimeInMs: 20 });
  const roundTrips: number[] = [];
  let lastReceived = 0;
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const message of batch.messages) {
          roundTrips.push(now - Number(message.value?.toString()));
        }
        lastReceived = now;
      },
    });
    await joined;

    const cpu = new StackCpuMeter(stack);
    const before = await cpu.sample();
    const startedAt = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < messages) {
        next += 1;
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: `user-${next}`, value: String(performance.now()) }],
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const deadline = Date.now() + COMPLETION_TIMEOUT_MS;
    while (roundTrips.length < messages && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await cpu.sample();
    if (roundTrips.length < messages)
      throw new Error(
        `raw kafkajs baseline: ${roundTrips.length} of ${messages} messages came back`,
      );
    return {
      messages: roundTrips.length,
      concurrency,
      throughputPerSecond: Math.round(roundTrips.length / ((lastReceived - startedAt) / 1000)),
      roundTripMs: summarize(roundTrips),
      cpuMsPerMessage: cpuMsPer(cpuSpent(before, after), roundTrips.length),
    };
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  console.log(
    `bench:commands run ${runId}: ${COMMANDS} commands at concurrency ${CONCURRENCY}, then ${RATE}/s for ${RATE_SECONDS} s` +
      (START_APPS ? ' (apps started by the bench)' : ''),
  );
  if (!START_APPS) return measure(await runningStack());
  const stack = await PlatformStack.start(runId, {
    name: 'bench-commands',
    withMonitor: true,
    partitions: 6,
    ports: STARTED_APP_PORTS,
    nodeArgs: { gateway: APP_NODE_ARGS, processor: APP_NODE_ARGS, monitor: APP_NODE_ARGS },
  });
  try {
    await measure({
      gatewayUrl: stack.apps.gateway.baseUrl,
      caller: stack.caller,
      repliesTopic: stack.topics.replies,
      processes: await startedStackProcesses(stack),
    });
  } finally {
    await stack.stop();
  }
}

async function measure(target: Target): Promise<void> {
  const { caller, processes: stack } = target;
  const pipeline: CommandPipeline = {
    gatewayUrl: target.gatewayUrl,
    authorization: caller.headers.authorization,
    kafka,
    repliesTopic: target.repliesTopic,
    runId,
    completionTimeoutMs: COMPLETION_TIMEOUT_MS,
  };
  const watcher = replyWatcher(pipeline);
  await watcher.start();
  let noop: NoopResult;
  let throughput: CommandPhaseResult;
  let fixedRate: CommandPhaseResult;
  try {
    // A short warm-up so JIT compilation and connection set-up are not measured.
    const warmup = await runCommandPhase(pipeline, watcher, stack, {
      label: 'warmup',
      connections: 16,
      amount: 500,
    });
    const noopWarmup = await runNoopPhase(target.gatewayUrl, caller, stack, {
      label: 'noop-warmup',
      connections: 16,
      amount: 500,
    });
    const warmupProblems = [...commandPhaseProblems(warmup), ...noopProblems(noopWarmup)];
    if (warmupProblems.length > 0) throw new Error(warmupProblems.join('\n'));
    noop = await runNoopPhase(target.gatewayUrl, caller, stack, {
      label: 'noop',
      connections: CONCURRENCY,
      amount: COMMANDS,
    });
    throughput = await runCommandPhase(pipeline, watcher, stack, {
      label: 'max',
      connections: CONCURRENCY,
      amount: COMMANDS,
    });
    fixedRate = await runCommandPhase(pipeline, watcher, stack, {
      label: `rate${RATE}`,
      connections: Math.max(16, Math.ceil(RATE / 20)),
      overallRate: RATE,
      durationSeconds: RATE_SECONDS,
    });
  } finally {
    await watcher.stop();
  }
  const baseline = await rawKafkaBaseline(COMMANDS, CONCURRENCY, stack);

  const ratio =
    Math.round((throughput.throughputPerSecond / baseline.throughputPerSecond) * 100) / 100;
  const noopRatio =
    Math.round((throughput.throughputPerSecond / noop.requestsPerSecond) * 100) / 100;
  console.log('results');
  printCommandPhase(throughput);
  printCommandPhase(fixedRate);
  console.log(
    `  baseline GET /auth/whoami (same gateway, token, ${CONCURRENCY} connections): ` +
      `${noop.answered}/${noop.sent} answered, ${noop.requestsPerSecond}/s, ` +
      `latency p50 ${noop.latencyMs.p50} p99 ${noop.latencyMs.p99} ms`,
  );
  console.log(`    CPU ms per request        ${formatCpu(noop.cpuMsPerRequest)}`);
  console.log(
    `  baseline raw kafkajs produce→consume (${baseline.concurrency} concurrent awaited sends): ` +
      `${baseline.throughputPerSecond}/s, round trip p50 ${baseline.roundTripMs.p50} p99 ${baseline.roundTripMs.p99} ms`,
  );
  console.log(`    CPU ms per message        ${formatCpu(baseline.cpuMsPerMessage)}`);
  console.log(`  ratio commands/s end to end ÷ no-op requests/s: ${noopRatio}`);
  console.log(`  ratio HTTP command end to end ÷ raw kafkajs round trip: ${ratio}`);
  const file = writeResults('commands', {
    runId,
    gateway: target.gatewayUrl,
    startedApps: START_APPS,
    commands: COMMANDS,
    concurrency: CONCURRENCY,
    throughput,
    fixedRate,
    noop,
    baseline,
    noopRatio,
    ratio,
  });
  console.log(`figures written to ${file}`);
  const problems = [
    ...noopProblems(noop),
    ...commandPhaseProblems(throughput),
    ...commandPhaseProblems(fixedRate),
  ];
  if (problems.length > 0) throw new Error(`unexpected answers:\n  ${problems.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
