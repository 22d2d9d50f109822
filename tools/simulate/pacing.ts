import { performance } from 'node:perf_hooks';

/**
 * Open-loop pacing: the i-th send is due at i / rate seconds after the start, whatever the answers
 * to earlier ones took, so a slow platform shows up as latency and as sends that started late,
 * not as a quietly lower rate.
 */

/** When the send `index` (from 0) is due, in ms after the start; 0 for every send at rate ∞. */
export function dueAt(index: number, rate: number): number {
  return rate === Infinity ? 0 : (index * 1000) / rate;
}

/** How many of `total` sends are due `elapsedMs` after the start (the first at 0). */
export function dueBy(elapsedMs: number, rate: number, total: number): number {
  if (elapsedMs < 0) return 0;
  if (rate === Infinity) return total;
  return Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
}

/** Sends in `durationSeconds` at `rate` per second, at least one. */
export function sendsIn(rate: number, durationSeconds: number): number {
  return Math.max(1, Math.floor(rate * durationSeconds));
}

export interface PaceOptions {
  /** Sends per second; Infinity: as fast as `maxInFlight` allows (a closed loop). */
  rate: number;
  total: number;
  maxInFlight: number;
  /** Starts send `index`; the pacer awaits it only to count what is in flight. */
  send: (index: number) => Promise<void>;
}

export interface PaceResult {
  sent: number;
  /** Sends that started more than 100 ms after they were due (the in-flight cap held them); 0 at rate ∞. */
  late: number;
  elapsedMs: number;
}

/** A send this much behind its due time counts as late. */
const LATE_MS = 100;

/** Runs `total` sends at `rate`, never more than `maxInFlight` at a time; resolves when all ended. */
export async function pace(options: PaceOptions): Promise<PaceResult> {
  const { rate, total, maxInFlight, send } = options;
  const startedAt = performance.now();
  let started = 0;
  let inFlight = 0;
  let late = 0;
  let wake: (() => void) | undefined;
  const settled = () => {
    inFlight -= 1;
    wake?.();
  };
  while (started < total) {
    const elapsed = performance.now() - startedAt;
    const due = dueBy(elapsed, rate, total);
    while (started < due && inFlight < maxInFlight) {
      if (rate !== Infinity && elapsed - dueAt(started, rate) > LATE_MS) late += 1;
      inFlight += 1;
      // A send's failure is the caller's to record; the pacer only counts it out.
      void send(started).then(settled, settled);
      started += 1;
    }
    if (started >= total) break;
    const waitMs =
      inFlight >= maxInFlight
        ? Infinity
        : Math.max(0, dueAt(started, rate) - (performance.now() - startedAt));
    await new Promise<void>((resolve) => {
      const timer = waitMs === Infinity ? undefined : setTimeout(resolve, waitMs);
      wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  return { sent: started, late, elapsedMs: performance.now() - startedAt };
}
