import { summarize, type LatencySummary } from '../bench/support/percentiles';

/** What became of the payments of one run: the counts of the progress line and the summary. */
export interface TallySummary {
  sent: number;
  accepted: number;
  settled: number;
  /** Rejections by their stable code (antifraud rules, INSUFFICIENT_FUNDS). */
  rejected: Record<string, number>;
  /** Answers the simulator did not expect, by `HTTP <status> <code>` or what was wrong. */
  unexpected: Record<string, number>;
  /** Accepted payments with no outcome yet (at the end: none within the timeout). */
  pending: number;
  requestToSettledMs: LatencySummary;
}

/** Counts each payment once, by the first outcome recorded for it. */
export class PaymentTally {
  private sent = 0;
  private readonly accepted = new Set<string>();
  private readonly outcomes = new Map<string, string>();
  private readonly latencies: number[] = [];
  private readonly rejected: Record<string, number> = {};
  private readonly unexpected: Record<string, number> = {};

  sending(): void {
    this.sent += 1;
  }

  accept(paymentId: string): void {
    this.accepted.add(paymentId);
  }

  unexpectedAnswer(reason: string): void {
    this.unexpected[reason] = (this.unexpected[reason] ?? 0) + 1;
  }

  settle(paymentId: string, requestToSettledMs: number): void {
    if (!this.record(paymentId, 'settled')) return;
    this.latencies.push(requestToSettledMs);
  }

  reject(paymentId: string, code: string): void {
    if (!this.record(paymentId, code)) return;
    this.rejected[code] = (this.rejected[code] ?? 0) + 1;
  }

  get pendingIds(): string[] {
    return [...this.accepted].filter((id) => !this.outcomes.has(id));
  }

  summary(): TallySummary {
    return {
      sent: this.sent,
      accepted: this.accepted.size,
      settled: this.latencies.length,
      rejected: { ...this.rejected },
      unexpected: { ...this.unexpected },
      pending: this.accepted.size - this.outcomes.size,
      requestToSettledMs: summarize(this.latencies),
    };
  }

  private record(paymentId: string, outcome: string): boolean {
    if (!this.accepted.has(paymentId) || this.outcomes.has(paymentId)) return false;
    this.outcomes.set(paymentId, outcome);
    return true;
  }
}

const counts = (byReason: Record<string, number>): string =>
  Object.entries(byReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ') || 'none';

const total = (byReason: Record<string, number>): number =>
  Object.values(byReason).reduce((sum, n) => sum + n, 0);

/** The line printed every second while the run goes on. */
export function progressLine(s: TallySummary, elapsedSeconds: number): string {
  return (
    `${elapsedSeconds.toFixed(0).padStart(4)} s  sent ${s.sent}  settled ${s.settled}  ` +
    `rejected ${total(s.rejected)}  pending ${s.pending}  unexpected ${total(s.unexpected)}  ` +
    `p50 ${fmt(s.requestToSettledMs.p50)} ms`
  );
}

/** The final summary, one fact a line. */
export function summaryLines(s: TallySummary, sendSeconds: number): string[] {
  const l = s.requestToSettledMs;
  return [
    `sent ${s.sent} in ${sendSeconds.toFixed(1)} s (${(s.sent / sendSeconds).toFixed(1)}/s), accepted ${s.accepted}`,
    `settled ${s.settled}`,
    `rejected ${total(s.rejected)}: ${counts(s.rejected)}`,
    `request→settled ms: p50 ${fmt(l.p50)}  p99 ${fmt(l.p99)}  max ${fmt(l.max)}`,
    `unexpected answers ${total(s.unexpected)}: ${counts(s.unexpected)}`,
    `no outcome ${s.pending}`,
  ];
}

/** Why the run must exit 1, if it must. */
export function runProblems(s: TallySummary): string[] {
  const problems: string[] = [];
  if (total(s.unexpected) > 0) problems.push(`unexpected answers: ${counts(s.unexpected)}`);
  if (s.pending > 0) problems.push(`${s.pending} accepted payments got no outcome in time`);
  return problems;
}

const fmt = (ms: number): string => (Number.isFinite(ms) ? String(ms) : 'n/a');
