import type { Kafka } from 'kafkajs';
import { PaymentTally, runProblems, type TallySummary } from '../../simulate/payment-tally';
import { sendPayments } from '../../simulate/payment-traffic';
import type { PixPlatform, SimAccount } from '../../simulate/pix-platform';
import {
  cpuMsPer,
  cpuSpent,
  StackCpuMeter,
  type CpuByProcess,
  type MeteredProcess,
} from '../support/process-cpu';
import { TopicWatcher, type RecordReading } from '../support/topic-watcher';

/**
 * The end of a payment in a `pix.audit.log` record: `settled`, or `rejected <code>`; undefined for
 * any other transition and for account records. The audit record is written in the settlement's
 * own transaction and relayed by the outbox, so its arrival is when a consumer of the platform can
 * know the payment settled.
 */
export const readPaymentEnd: RecordReading = (message) => {
  const id = message.headers?.['correlation-id']?.toString();
  if (!id) return undefined;
  const data = (JSON.parse(message.value?.toString() ?? '{}') as { data?: AuditData }).data;
  if (data?.what !== 'pix.payment') return undefined;
  if (data.newState === 'settled') return { id, status: 'settled' };
  if (data.newState === 'rejected') {
    return { id, status: `rejected ${data.detail?.rejectionCode ?? 'UNKNOWN'}` };
  }
  return undefined;
};

interface AuditData {
  what?: string;
  newState?: string;
  detail?: { rejectionCode?: string };
}

/** Watches the run's `pix.audit.log` for the end of each payment. */
export function paymentEndWatcher(kafka: Kafka, auditTopic: string, groupId: string): TopicWatcher {
  return new TopicWatcher(kafka, auditTopic, groupId, readPaymentEnd);
}

export interface PaymentPhaseOptions {
  label: string;
  /** Payments per second offered; Infinity: as fast as `maxInFlight` requests allow. */
  rate: number;
  total: number;
  maxInFlight: number;
  runId: string;
  firstIndex: number;
  settleTimeoutMs: number;
}

export interface PaymentPhaseResult {
  label: string;
  offeredPerSecond: number | 'max';
  tally: TallySummary;
  /** Payments settled per second, from the first request to the last settlement seen. */
  settledPerSecond: number;
  /** Sends the in-flight cap held back more than 100 ms. */
  lateSends: number;
  cpuMsPerPayment: CpuByProcess;
  /** When the phase's first request went out and its CPU was last sampled (epoch ms). */
  window: { from: number; to: number };
}

/** One load of payments, each timed from its request until its audit record says it settled. */
export async function runPaymentPhase(
  platform: PixPlatform,
  accounts: readonly SimAccount[],
  watcher: TopicWatcher,
  stack: MeteredProcess[],
  options: PaymentPhaseOptions,
): Promise<PaymentPhaseResult> {
  const tally = new PaymentTally();
  const sentAt = new Map<string, number>();
  const cpu = new StackCpuMeter(stack);
  const before = await cpu.sample();
  const startedAt = Date.now();
  const paced = await sendPayments(platform, accounts, tally, {
    rate: options.rate,
    total: options.total,
    maxInFlight: options.maxInFlight,
    runId: options.runId,
    firstIndex: options.firstIndex,
    onAccepted: (id, at) => sentAt.set(id, at),
  });
  await watcher.waitFor(sentAt.keys(), options.settleTimeoutMs);
  const after = await cpu.sample();
  const endedAt = Date.now();
  let lastSettled = startedAt;
  for (const [id, at] of sentAt) {
    const end = watcher.seen.get(id);
    if (!end) continue;
    if (end.status === 'settled') {
      tally.settle(id, end.at - at);
      lastSettled = Math.max(lastSettled, end.at);
    } else {
      tally.reject(id, end.status.replace(/^rejected /, ''));
    }
  }
  const summary = tally.summary();
  return {
    label: options.label,
    offeredPerSecond: options.rate === Infinity ? 'max' : options.rate,
    tally: summary,
    settledPerSecond: Math.round(summary.settled / ((lastSettled - startedAt) / 1000)),
    lateSends: paced.late,
    cpuMsPerPayment: cpuMsPer(cpuSpent(before, after), summary.settled),
    window: { from: startedAt, to: endedAt },
  };
}

/** In a bench every payment must settle: a rejection, like an unexpected answer, fails the run. */
export function paymentPhaseProblems(phase: PaymentPhaseResult): string[] {
  const problems = runProblems(phase.tally).map((p) => `${phase.label}: ${p}`);
  if (Object.keys(phase.tally.rejected).length > 0) {
    problems.push(`${phase.label}: payments rejected ${JSON.stringify(phase.tally.rejected)}`);
  }
  return problems;
}
