import type { StackCpuMeter } from '../support/process-cpu';
import type { LoadTally } from './load-tally';

/** Adds the wall time of `run` to the side's tally. */
export type Timed = (run: () => Promise<void>) => Promise<void>;

/** One side of a comparison: its tally, its CPU meter and how to run round `r` of its work. */
export interface Side {
  tally: LoadTally;
  cpu: StackCpuMeter;
  /** Runs round `r`, putting what is to be measured inside `timed` (set-up may stay outside). */
  round(r: number, timed: Timed): Promise<void>;
  /** Around each of this side's rounds (e.g. scraping the gateway's /metrics). */
  around?<T>(run: () => Promise<T>): Promise<T>;
}

/**
 * Runs `rounds` rounds of both sides, alternating which goes first (baseline, HTTP, HTTP,
 * baseline, …) so a noisy moment on the shared machine is as likely to hit either side.
 */
export async function runInterleaved(rounds: number, baseline: Side, http: Side): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [baseline, http] : [http, baseline];
    for (const side of order) {
      const once = () => side.cpu.measure(() => side.round(r, (run) => side.tally.time(run)));
      await (side.around ? side.around(once) : once());
    }
  }
}
