/** What `GET /pix/payments/:id` tells of a payment's end, read from its stage timeline. */
export type PaymentOutcome =
  { kind: 'settled'; settledAt: number } | { kind: 'rejected'; code: string } | { kind: 'pending' };

interface TimelineEntry {
  stage?: unknown;
  at?: unknown;
  detail?: unknown;
}

/**
 * `settled` with the time (ms since the epoch) the platform recorded the settlement, `rejected`
 * with its code, else `pending`; undefined when the body is not a payment view. The state alone
 * would not do: a settled or rejected payment moves on to `notified`.
 */
export function outcomeOf(body: string): PaymentOutcome | undefined {
  let view: { timeline?: unknown; rejectionCode?: unknown };
  try {
    view = JSON.parse(body) as typeof view;
  } catch {
    return undefined;
  }
  if (typeof view !== 'object' || view === null || !Array.isArray(view.timeline)) return undefined;
  const timeline = view.timeline as TimelineEntry[];
  const settled = timeline.find((t) => t.stage === 'settled');
  if (settled) {
    const at = typeof settled.at === 'string' ? Date.parse(settled.at) : NaN;
    return Number.isFinite(at) ? { kind: 'settled', settledAt: at } : undefined;
  }
  const rejected = timeline.find((t) => t.stage === 'rejected');
  if (rejected) {
    const code = view.rejectionCode ?? rejected.detail;
    return { kind: 'rejected', code: typeof code === 'string' && code ? code : 'UNKNOWN' };
  }
  return { kind: 'pending' };
}
