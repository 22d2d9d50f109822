/**
 * Metered usage of the tenant event proxy (issue 5). The gateway writes one usage event per
 * accepted produce or consume request to `usage_events`; the processor aggregates them into the
 * `billing` table exactly once, keyed by the envelope's `eventId`.
 */
export const USAGE_EVENT_TYPE = 'usage.recorded';

export type UsageAction = 'produce' | 'consume';

export const USAGE_ACTIONS: readonly UsageAction[] = ['produce', 'consume'];

export interface UsageEventData {
  tenant: string;
  /** The tenant's own topic name (not the physical `tenant.<id>.<name>`). */
  topic: string;
  /** The API client that produced or consumed. */
  clientId: string;
  action: UsageAction;
  /** Records produced or delivered by the request. */
  messages: number;
  /** Bytes of keys, values and headers produced or delivered by the request. */
  bytes: number;
  /** ISO-8601 instant the request was accepted. */
  eventTime: string;
  /**
   * Set for a produce request with an `Idempotency-Key`: the event commits exactly when the
   * records do, so after a gateway crash the committed log itself tells whether the request was
   * written, and where (its answer). Extra field of a newer minor: older readers ignore it.
   */
  idempotency?: UsageIdempotency;
}

export interface UsageIdempotency {
  /** The request's Idempotency-Key (unique per `clientId`). */
  key: string;
  /** Where each record of the request landed, in request order (the request's 200 answer). */
  records: { partition: number; offset: string }[];
}
