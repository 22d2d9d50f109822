/**
 * The command pipeline under load, as bench:commands measures it and bench:pix uses it as its
 * baseline: `POST /users` through autocannon, each 202's correlation id timed until its reply on
 * the replies topic.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Kafka } from 'kafkajs';
import { cpfOf } from '@event-hub/testing';
import { checkAccepted } from '../commands/answers';
import { summarize, type LatencySummary } from './percentiles';
import {
  cpuMsPer,
  cpuSpent,
  formatCpu,
  StackCpuMeter,
  type CpuByProcess,
  type MeteredProcess,
} from './process-cpu';
import { TopicWatcher } from './topic-watcher';

export interface CommandPhaseResult {
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

export interface CommandLoadOptions {
  label: string;
  connections: number;
  amount?: number;
  overallRate?: number;
  durationSeconds?: number;
}

/** Where the commands go and where their replies come back. */
export interface CommandPipeline {
  gatewayUrl: string;
  /** A token holding events:produce: `Bearer …`. */
  authorization: string;
  kafka: Kafka;
  repliesTopic: string;
  runId: string;
  completionTimeoutMs: number;
}

/** Documents count up from a random start, so every command of a run creates a distinct user. */
const documentBase = Math.floor(Math.random() * 5e8);
let documentSequence = 0;

/** Watches the pipeline's replies topic: each correlation id with its status (COMPLETED, FAILED). */
export function replyWatcher(pipeline: CommandPipeline): TopicWatcher {
  return new TopicWatcher(
    pipeline.kafka,
    pipeline.repliesTopic,
    `bench-commands-${pipeline.runId}`,
    (message) => {
      const id = message.headers?.['correlation-id']?.toString();
      if (!id) return undefined;
      const status = JSON.parse(message.value?.toString() ?? '{}')?.data?.status ?? 'UNKNOWN';
      return { id, status: String(status) };
    },
  );
}

export async function runCommandPhase(
  pipeline: CommandPipeline,
  watcher: TopicWatcher,
  stack: MeteredProcess[],
  options: CommandLoadOptions,
): Promise<CommandPhaseResult> {
  const accepted = new Map<string, number>();
  const acceptLatencies: number[] = [];
  const rejected: Record<string, number> = {};
  let sequence = 0;
  const cpu = new StackCpuMeter(stack);
  const before = await cpu.sample();
  const startedAt = Date.now();

  const result = await autocannon({
    url: pipeline.gatewayUrl,
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
        headers: { 'content-type': 'application/json', authorization: pipeline.authorization },
        setupRequest: (request, context) => {
          sequence += 1;
          documentSequence += 1;
          (context as { sentAt?: number }).sentAt = performance.now();
          return {
            ...request,
            body: JSON.stringify({
              name: `Bench User ${sequence}`,
              email: `bench-${pipeline.runId}-${options.label}-${sequence}@example.com`,
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
          accepted.set(answer.value.correlationId, Date.now());
        },
      },
    ],
  });
  const loadEndedAt = Date.now();

  await watcher.waitFor(accepted.keys(), pipeline.completionTimeoutMs);
  const after = await cpu.sample();
  const completion: number[] = [];
  let lastReply = startedAt;
  let failed = 0;
  for (const [id, acceptedAt] of accepted) {
    const reply = watcher.seen.get(id);
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

export function printCommandPhase(phase: CommandPhaseResult): void {
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
export function commandPhaseProblems(phase: CommandPhaseResult): string[] {
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
