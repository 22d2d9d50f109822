/** What the shared ledger granted out of one quota window. */
export interface QuotaLease {
  /** Points granted (0 up to what was asked for), this instance's to spend until the window ends. */
  granted: number;
  /** Milliseconds until the window ends (or a refusal after an overdraft is lifted). */
  windowEndsInMs: number;
}

/**
 * The quota windows every gateway instance draws from: per key, one second's worth of points
 * (`perSecond`) per one-second window. Instances lease points in blocks and spend them locally.
 */
export abstract class QuotaLedger {
  /**
   * Leases up to `points` of the key's current window: all of them, or what is left of the
   * window when less (0 once it is used up).
   */
  abstract lease(key: string, perSecond: number, points: number): Promise<QuotaLease>;

  /**
   * Records `points` spent beyond what was leased (a request larger than a window, or a read
   * larger than its headroom). What the window cannot absorb refuses the key for as long as the
   * quota takes to pay it off; answers how long, in milliseconds, the key is refused.
   */
  abstract overdraw(key: string, perSecond: number, points: number): Promise<number>;
}
