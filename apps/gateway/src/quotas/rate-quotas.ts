export type QuotaDirection = 'produce' | 'consume';
export type QuotaUnit = 'records' | 'bytes';

/** What a tenant may take right now in one direction (never negative). */
export interface QuotaHeadroom {
  records: number;
  bytes: number;
}

/**
 * A tenant's produce and consume rate quotas (records/s and bytes/s, from its limits), as token
 * buckets holding one second's worth. State is per gateway instance: N instances behind a load
 * balancer allow up to N times the quota in total.
 *
 * A request larger than one second's worth is admitted once the bucket is full and leaves the
 * bucket in debt, so it is possible but the tenant's average rate still holds.
 */
export abstract class RateQuotas {
  /**
   * Takes `records` and `bytes` or throws {@link QuotaExceededError} (429 with `Retry-After`)
   * taking nothing. Synchronous: uses the tenant's last known limits (the defaults until they
   * were first loaded); call {@link ready} first to have them loaded.
   */
  abstract take(tenantId: string, direction: QuotaDirection, records: number, bytes: number): void;

  /** Loads (or refreshes, when stale) the tenant's limits. */
  abstract ready(tenantId: string): Promise<void>;

  /**
   * How much would fit now; throws {@link QuotaExceededError} when not even one record fits.
   * Lets consume bound a read before it knows what it will deliver.
   */
  abstract headroom(tenantId: string, direction: QuotaDirection): QuotaHeadroom;

  /** Takes what was delivered even when it overdraws the buckets (consume, after the read). */
  abstract charge(
    tenantId: string,
    direction: QuotaDirection,
    records: number,
    bytes: number,
  ): void;
}
