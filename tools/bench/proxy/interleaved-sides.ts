import type { CpuMeter } from './cpu-meter';
import type { LoadTally } from './load-tally';

/** One side of a comparison: its tally, its CPU meter and how to run round `r` of its work. */
export interface Side {
  tally: LoadTally;
  cpu: CpuMeter;
  round(r: number): Promise<void>;
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
      const once = () => side.cpu.measure(() => side.tally.time(() => side.round(r)));
      await (side.around ? side.around(once) : once());
    }
  }
}
