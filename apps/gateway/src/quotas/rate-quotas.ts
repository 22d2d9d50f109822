export type QuotaDirection = 'produce' | 'consume';
export type QuotaUnit = 'records' | 'bytes';

/** What a tenant may take right now in one direction (never negative). */
export interface QuotaHeadroom {
  records: number;
  bytes: number;
}

/**
 * A tenant's produce and consume rate quotas (records/s and bytes/s, from its limits), shared by
 * every gateway instance: each second's worth is granted once across all of them.
 *
 * A request larger than one second's worth is admitted when the second's whole quota is free, and
 * the excess is paid off by refusing the tenant for as long as the quota takes to cover it, so it
 * is possible but the tenant's average rate still holds.
 */
export abstract class RateQuotas {
  /**
   * Takes `records` and `bytes` or throws {@link QuotaExceededError} (429 with `Retry-After`)
   * taking nothing. Uses the tenant's last known limits (the defaults until they were first
   * loaded); call {@link ready} first to have them loaded.
   */
  abstract take(
    tenantId: string,
    direction: QuotaDirection,
    records: number,
    bytes: number,
  ): Promise<void>;

  /** Loads (or refreshes, when stale) the tenant's limits. */
  abstract ready(tenantId: string): Promise<void>;

  /**
   * How much may be taken now; throws {@link QuotaExceededError} when not even one record fits.
   * Lets consume bound a read before it knows what it will deliver.
   */
  abstract headroom(tenantId: string, direction: QuotaDirection): Promise<QuotaHeadroom>;

  /** Takes what was delivered even when it overdraws the quota (consume, after the read). */
  abstract charge(
    tenantId: string,
    direction: QuotaDirection,
    records: number,
    bytes: number,
  ): void;
}
