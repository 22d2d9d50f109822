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
 * It acts as a user would: a token from the client-credentials grant of the demo client that
 * `npm start` writes (or BENCH_CLIENT_ID / BENCH_CLIENT_SECRET), and a distinct valid CPF per
 * request. Any answer but a PENDING 202 (or the caller's own whoami), any FAILED reply and any
 * missing reply fails the run (exit 1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { TOPICS } from '@event-hub/contracts';
import { IDEMPOTENT_PRODUCER, parseBrokerList } from '@event-hub/kafka';
import { intFromEnv, writeResults } from './support/bench-output';
import { cpfOf, type ClientCredentials } from '@event-hub/testing';
import { checkAccepted, checkWhoAmI } from './commands/answers';
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

const GATEWAY_URL = process.env['BENCH_GATEWAY_URL'] ?? 'http://127.0.0.1:8000';
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

const kafka = new Kafka({
  clientId: 'bench-commands',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
});
const runId = randomUUID().slice(0, 8);
/** Documents count up from a random start, so every command of a run creates a distinct user. */
const documentBase = Math.floor(Math.random() * 5e8);
let documentSequence = 0;

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

interface PhaseResult {
  label: string;
  sent: number;
  /** Requests that failed without an HTTP answer (connection errors, timeouts). */
  errors: number;
  accepted: number;
  rejected: Record<string, number>;
  completed: number;
  failed: number;
  /** Commands completed per second, from the first request to the last reply. */
  throughputPerSecond: number;
  /** 202s per second while the load ran. */
  acceptedPerSecond: number;
  acceptLatencyMs: LatencySummary;
  acceptToCompletedMs: LatencySummary;
  /** From the first request to the last reply, by process of the stack and in total. */
  cpuMsPerCommand: CpuByProcess;
}

/** Watches `response_events` from its current end, recording when each correlation id's reply arrives. */
class ReplyWatcher {
  readonly replies = new Map<string, { at: number; status: string }>();
  private consumer: Consumer | undefined;

  async start(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(TOPICS.responseEvents);
    await admin.disconnect();

    this.consumer = kafka.consumer({ groupId: `bench-commands-${runId}`, maxWaitTimeInMs: 20 });
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.responseEvents });
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const at = performance.now();
        for (const message of batch.messages) {
          const correlationId = message.headers?.['correlation-id']?.toString();
          if (!correlationId) continue;
          const status = JSON.parse(message.value?.toString() ?? '{}')?.data?.status ?? 'UNKNOWN';
          this.replies.set(correlationId, { at, status });
        }
      },
    });
    await joined;
    for (const { partition, offset } of ends) {
      consumer.seek({ topic: TOPICS.responseEvents, partition, offset });
    }
  }

  async waitFor(ids: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (ids.some((id) => !this.replies.has(id))) {
      if (Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

interface LoadOptions {
  label: string;
  connections: number;
  amount?: number;
  overallRate?: number;
  durationSeconds?: number;
}

async function runPhase(
  watcher: ReplyWatcher,
  authorization: string,
  stack: MeteredProcess[],
  options: LoadOptions,
): Promise<PhaseResult> {
  const accepted = new Map<string, number>();
  const acceptLatencies: number[] = [];
  const rejected: Record<string, number> = {};
  let sequence = 0;
  const cpu = new StackCpuMeter(stack);
  const before = await cpu.sample();
  const startedAt = performance.now();

  const result = await autocannon({
    url: GATEWAY_URL,
    connections: options.connections,
    pipelining: 1,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(options.durationSeconds ? { duration: options.durationSeconds } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/users',
        headers: { 'content-type': 'application/json', authorization },
        setupRequest: (request, context) => {
          sequence += 1;
          documentSequence += 1;
          (context as { sentAt?: number }).sentAt = performance.now();
          return {
            ...request,
            body: JSON.stringify({
              name: `Bench User ${sequence}`,
              email: `bench-${runId}-${options.label}-${sequence}@example.com`,
              document: cpfOf(documentBase + documentSequence),
            }),
          };
        },
        onResponse: (status, body, context) => {
          const now = performance.now();
          const answer = checkAccepted(status, body);
          if (!answer.ok) {
            rejected[answer.problem] = (rejected[answer.problem] ?? 0) + 1;
            return;
          }
          acceptLatencies.push(now - ((context as { sentAt?: number }).sentAt ?? now));
          accepted.set(answer.value.correlationId, now);
        },
      },
    ],
  });
  const loadEndedAt = performance.now();

  const ids = [...accepted.keys()];
  await watcher.waitFor(ids, COMPLETION_TIMEOUT_MS);
  const after = await cpu.sample();
  const completion: number[] = [];
  let lastReply = startedAt;
  let failed = 0;
  for (const [id, acceptedAt] of accepted) {
    const reply = watcher.replies.get(id);
    if (!reply) continue;
    completion.push(reply.at - acceptedAt);
    lastReply = Math.max(lastReply, reply.at);
    if (reply.status !== 'COMPLETED') failed += 1;
  }
  const completed = completion.length;
  return {
    label: options.label,
    sent: result.requests.sent,
    errors: result.errors + result.timeouts,
    accepted: accepted.size,
    rejected,
    completed,
    failed,
    throughputPerSecond: Math.round(completed / ((lastReply - startedAt) / 1000)),
    acceptedPerSecond: Math.round(accepted.size / ((loadEndedAt - startedAt) / 1000)),
    acceptLatencyMs: summarize(acceptLatencies),
    acceptToCompletedMs: summarize(completion),
    cpuMsPerCommand: cpuMsPer(cpuSpent(before, after), completed),
  };
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
      url: GATEWAY_URL,
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
async function stackProcesses(): Promise<MeteredProcess[]> {
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

function printPhase(phase: PhaseResult): void {
  const a = phase.acceptLatencyMs;
  const c = phase.acceptToCompletedMs;
  console.log(
    `  ${phase.label}: ${phase.completed}/${phase.accepted} completed (${phase.failed} failed), ` +
      `${phase.throughputPerSecond}/s end to end, ${phase.acceptedPerSecond}/s accepted` +
      (Object.keys(phase.rejected).length ? `, rejected ${JSON.stringify(phase.rejected)}` : ''),
  );
  console.log(
    `    202 latency ms            p50 ${a.p50}  p95 ${a.p95}  p99 ${a.p99}  max ${a.max}`,
  );
  console.log(
    `    accept→COMPLETED ms       p50 ${c.p50}  p95 ${c.p95}  p99 ${c.p99}  max ${c.max}`,
  );
  console.log(`    CPU ms per command        ${formatCpu(phase.cpuMsPerCommand)}`);
}

/** What a run must not contain: any of these makes its figures meaningless, so it fails. */
function unexpectedAnswers(phase: PhaseResult): string[] {
  const problems: string[] = [];
  if (Object.keys(phase.rejected).length > 0) {
    problems.push(`${phase.label}: unexpected answers ${JSON.stringify(phase.rejected)}`);
  }
  // Not sent − answered: a run of fixed duration ends with requests still in flight, unanswered
  // by design.
  if (phase.errors > 0) problems.push(`${phase.label}: ${phase.errors} requests got no answer`);
  if (phase.failed > 0) problems.push(`${phase.label}: ${phase.failed} commands FAILED`);
  if (phase.completed < phase.accepted) {
    problems.push(
      `${phase.label}: ${phase.accepted - phase.completed} accepted commands got no reply`,
    );
  }
  return problems;
}

async function main(): Promise<void> {
  const health = await fetch(`${GATEWAY_URL}/health`).catch(() => undefined);
  if (health?.status !== 200) {
    throw new Error(
      `the gateway at ${GATEWAY_URL} is not healthy: start the stack with \`npm start\` first`,
    );
  }
  console.log(
    `bench:commands run ${runId}: ${COMMANDS} commands at concurrency ${CONCURRENCY}, then ${RATE}/s for ${RATE_SECONDS} s`,
  );

  const caller = await callerFor(new HttpClient(GATEWAY_URL, 1), benchClient());
  const authorization = caller.headers.authorization;
  const stack = await stackProcesses();
  const watcher = new ReplyWatcher();
  await watcher.start();
  let noop: NoopResult;
  let throughput: PhaseResult;
  let fixedRate: PhaseResult;
  try {
    // A short warm-up so JIT compilation and connection set-up are not measured.
    const warmup = await runPhase(watcher, authorization, stack, {
      label: 'warmup',
      connections: 16,
      amount: 500,
    });
    const noopWarmup = await runNoopPhase(caller, stack, {
      label: 'noop-warmup',
      connections: 16,
      amount: 500,
    });
    const warmupProblems = [...unexpectedAnswers(warmup), ...noopProblems(noopWarmup)];
    if (warmupProblems.length > 0) throw new Error(warmupProblems.join('\n'));
    noop = await runNoopPhase(caller, stack, {
      label: 'noop',
      connections: CONCURRENCY,
      amount: COMMANDS,
    });
    throughput = await runPhase(watcher, authorization, stack, {
      label: 'max',
      connections: CONCURRENCY,
      amount: COMMANDS,
    });
    fixedRate = await runPhase(watcher, authorization, stack, {
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
  printPhase(throughput);
  printPhase(fixedRate);
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
    gateway: GATEWAY_URL,
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
    ...unexpectedAnswers(throughput),
    ...unexpectedAnswers(fixedRate),
  ];
  if (problems.length > 0) throw new Error(`unexpected answers:\n  ${problems.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
