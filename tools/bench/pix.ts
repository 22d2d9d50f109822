/**
 * `npm run bench:pix`: PIX payments settled end to end, against the command pipeline in the same
 * run, on a gateway and a processor the bench starts (built apps, `dist/`: build them first) with
 * a database, topics (PIX_TOPIC_PREFIX) and consumer groups of the run's own; Kafka, Postgres and
 * RabbitMQ are the machine's dev services.
 *
 *  1. BENCH_PIX_ACCOUNTS (200) accounts opened and funded over HTTP (users, accounts, deposits);
 *  2. warm-up: 200 commands and 200 payments;
 *  3. baseline: BENCH_COMMANDS (3,000) `POST /users` at BENCH_CONCURRENCY (64) connections,
 *     completed/s as bench:commands measures it (replies on the run's replies topic);
 *  4. max: BENCH_PIX_PAYMENTS (3,000) `POST /pix/payments` with BENCH_CONCURRENCY in flight:
 *     settled/s from the first request to the last settlement seen on the run's `pix.audit.log`;
 *  5. half rate: payments at half that settled/s (or BENCH_PIX_RATE/s) for BENCH_PIX_RATE_SECONDS
 *     (15): p50/p99 request→settled.
 * Prints settled payments/s ÷ commands/s (target ≥ 0.5) and CPU ms per payment (per command) of
 * each process: gateway, processor, Kafka, Elasticsearch, Postgres, RabbitMQ, the bench. Any
 * unexpected answer, rejected payment or payment not settled within BENCH_COMPLETION_TIMEOUT_MS
 * fails the run (exit 1). Figures go to bench-results/pix.json (not committed).
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { parseBrokerList } from '@event-hub/kafka';
import { openAccounts } from '../simulate/account-setup';
import { PixPlatform } from '../simulate/pix-platform';
import { HttpClient } from './proxy/http-client';
import { PlatformStack } from './support/platform-stack';
import {
  paymentEndWatcher,
  paymentPhaseProblems,
  runPaymentPhase,
  type PaymentPhaseResult,
} from './pix/payment-phase';
import { intFromEnv, writeResults } from './support/bench-output';
import {
  commandPhaseProblems,
  printCommandPhase,
  replyWatcher,
  runCommandPhase,
  type CommandPipeline,
} from './support/command-load';
import {
  formatCpu,
  meteredBench,
  meteredByCommand,
  meteredDevServices,
  meteredPid,
  type MeteredProcess,
} from './support/process-cpu';
import { REPO_ROOT } from './support/app-process';

const BROKERS = parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
const ACCOUNTS = intFromEnv('BENCH_PIX_ACCOUNTS', 200);
const PAYMENTS = intFromEnv('BENCH_PIX_PAYMENTS', 3000);
const COMMANDS = intFromEnv('BENCH_COMMANDS', 3000);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 64);
const RATE_SECONDS = intFromEnv('BENCH_PIX_RATE_SECONDS', 15);
/** Payments/s of phase 5 instead of half the max (0): the same offered rate for runs compared. */
const FIXED_RATE = intFromEnv('BENCH_PIX_RATE', 0);
const COMPLETION_TIMEOUT_MS = intFromEnv('BENCH_COMPLETION_TIMEOUT_MS', 180000);
const WARMUP = 200;
const TARGET_RATIO = 0.5;
/** Unset: free ports the system picks. */
const PORTS = {
  gateway: Number(process.env['BENCH_PIX_GATEWAY_PORT'] ?? 0),
  processor: Number(process.env['BENCH_PIX_PROCESSOR_PORT'] ?? 0),
};
/**
 * Flags for the gateway's and the processor's node (BENCH_PIX_GATEWAY_NODE_ARGS,
 * BENCH_PIX_PROCESSOR_NODE_ARGS), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
const nodeArgs = (name: string) => (process.env[name] ?? '').split(/\s+/).filter(Boolean);
const GATEWAY_NODE_ARGS = nodeArgs('BENCH_PIX_GATEWAY_NODE_ARGS');
const PROCESSOR_NODE_ARGS = nodeArgs('BENCH_PIX_PROCESSOR_NODE_ARGS');
/** Each account is credited this much: far more than the run's payments (≤ 50.00 each) take. */
const DEPOSIT = '1000000.00';

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kafka = new Kafka({ clientId: 'bench-pix', brokers: BROKERS, logLevel: logLevel.NOTHING });

function printPaymentPhase(phase: PaymentPhaseResult): void {
  const t = phase.tally;
  const l = t.requestToSettledMs;
  console.log(
    `  payments ${phase.label} (offered ${phase.offeredPerSecond}/s): ${t.settled}/${t.accepted} settled, ` +
      `${phase.settledPerSecond}/s settled end to end` +
      (phase.lateSends > 0 ? `, ${phase.lateSends} sends over 100 ms late` : ''),
  );
  console.log(
    `    request→settled ms        p50 ${l.p50}  p95 ${l.p95}  p99 ${l.p99}  max ${l.max}`,
  );
  console.log(`    CPU ms per payment        ${formatCpu(phase.cpuMsPerPayment)}`);
}

async function main(): Promise<void> {
  console.log(
    `bench:pix run ${runId}: ${ACCOUNTS} accounts; ${COMMANDS} commands and ${PAYMENTS} payments ` +
      `at ${CONCURRENCY} in flight; payments at half the settled rate for ${RATE_SECONDS} s`,
  );
  const stack = await PlatformStack.start(runId, {
    name: 'bench-pix',
    withMonitor: false,
    partitions: 6,
    ports: PORTS,
    nodeArgs: { gateway: GATEWAY_NODE_ARGS, processor: PROCESSOR_NODE_ARGS },
    // Only the platform's speed decides what settles.
    processorEnv: {
      PIX_LIMIT_PER_TRANSACTION: '1000000.00',
      PIX_LIMIT_NIGHT_PER_TRANSACTION: '1000000.00',
      PIX_LIMIT_DAILY: '1000000000.00',
      PIX_VELOCITY_COUNT: '10000',
    },
  });
  const problems: string[] = [];
  try {
    const processes: MeteredProcess[] = [
      meteredPid('gateway', stack.apps.gateway.pid),
      meteredPid('processor', stack.apps.processor.pid),
      ...(await meteredDevServices(REPO_ROOT)),
      meteredByCommand('rabbitmq', 'beam.smp'),
      meteredBench(),
    ];
    const http = new HttpClient(stack.apps.gateway.baseUrl, CONCURRENCY);
    const platform = new PixPlatform(http, stack.caller, stack.operator, runId);
    const pipeline: CommandPipeline = {
      gatewayUrl: stack.apps.gateway.baseUrl,
      authorization: stack.caller.headers.authorization,
      kafka,
      repliesTopic: stack.topics.replies,
      runId,
      completionTimeoutMs: COMPLETION_TIMEOUT_MS,
    };
    const replies = replyWatcher(pipeline);
    const ends = paymentEndWatcher(kafka, stack.topics.audit, `bench-pix-${runId}.audit`);
    await Promise.all([replies.start(), ends.start()]);
    try {
      const setupStarted = Date.now();
      const accounts = await openAccounts(platform, ACCOUNTS, DEPOSIT, 32);
      console.log(`  ${ACCOUNTS} accounts opened in ${Date.now() - setupStarted} ms`);
      const phase = (label: string, rate: number, total: number, firstIndex: number) =>
        runPaymentPhase(platform, accounts, ends, processes, {
          label,
          rate,
          total,
          maxInFlight: CONCURRENCY,
          runId,
          firstIndex,
          settleTimeoutMs: COMPLETION_TIMEOUT_MS,
        });

      // Warm-up: JIT, connections and the first consumer fetches are not measured.
      const warmCommands = await runCommandPhase(pipeline, replies, processes, {
        label: 'warmup',
        connections: 16,
        amount: WARMUP,
      });
      const warmPayments = await phase('warmup', Infinity, WARMUP, 0);
      const warmupProblems = [
        ...commandPhaseProblems(warmCommands),
        ...paymentPhaseProblems(warmPayments),
      ];
      if (warmupProblems.length > 0) throw new Error(warmupProblems.join('\n'));

      const commands = await runCommandPhase(pipeline, replies, processes, {
        label: 'commands',
        connections: CONCURRENCY,
        amount: COMMANDS,
      });
      const max = await phase('max', Infinity, PAYMENTS, WARMUP);
      const halfRate = FIXED_RATE || Math.max(1, Math.round(max.settledPerSecond / 2));
      const half = await phase('half', halfRate, halfRate * RATE_SECONDS, WARMUP + PAYMENTS);
      problems.push(
        ...commandPhaseProblems(commands),
        ...paymentPhaseProblems(max),
        ...paymentPhaseProblems(half),
      );

      const ratio = Math.round((max.settledPerSecond / commands.throughputPerSecond) * 100) / 100;
      console.log('results');
      printCommandPhase(commands);
      printPaymentPhase(max);
      printPaymentPhase(half);
      console.log(
        `  ratio settled payments/s ÷ commands/s: ${ratio} (target ≥ ${TARGET_RATIO}: ${
          ratio >= TARGET_RATIO ? 'met' : 'missed'
        })`,
      );
      const file = writeResults('pix', {
        runId,
        accounts: ACCOUNTS,
        concurrency: CONCURRENCY,
        commands,
        max,
        half,
        ratio,
        targetRatio: TARGET_RATIO,
      });
      console.log(`figures written to ${file}`);
    } finally {
      await Promise.all([replies.stop(), ends.stop()]);
      http.close();
    }
  } finally {
    await stack.stop();
  }
  if (problems.length > 0) throw new Error(`unexpected answers:\n  ${problems.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
