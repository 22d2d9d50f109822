import type { PriceList } from '../pricing/price-list';
import { costOf } from '../pricing/usage-cost';
import type { UsageTotalsView } from './billing.views';

export interface UsageCounts {
  requests: bigint;
  messages: bigint;
  bytes: bigint;
}

export function addCounts(rows: UsageCounts[]): UsageCounts {
  return rows.reduce(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      messages: sum.messages + row.messages,
      bytes: sum.bytes + row.bytes,
    }),
    { requests: 0n, messages: 0n, bytes: 0n },
  );
}

/** Counts as decimal strings and their cost, priced from the counts (so rounded once). */
export function totalsView(counts: UsageCounts, prices: PriceList): UsageTotalsView {
  return {
    requests: counts.requests.toString(),
    messages: counts.messages.toString(),
    bytes: counts.bytes.toString(),
    cost: costOf(counts, prices),
  };
}
