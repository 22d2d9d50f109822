/** Milliseconds since some origin; injected so tests control time. */
export type Clock = () => number;

/**
 * A token bucket refilled at `ratePerSecond` up to one second's worth. A cost above the capacity
 * is admitted when the bucket is full and overdraws it (the balance goes negative), so a request
 * bigger than one second's quota is possible and is paid for by waiting afterwards.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = ratePerSecond;
    this.updatedAt = clock();
  }

  get capacity(): number {
    return this.ratePerSecond;
  }

  /** Applies a changed limit; the balance is kept, capped to the new capacity. */
  setRate(ratePerSecond: number): void {
    if (ratePerSecond === this.ratePerSecond) return;
    this.refill();
    this.ratePerSecond = ratePerSecond;
    this.tokens = Math.min(this.tokens, ratePerSecond);
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  /** 0 when `cost` fits now, else the seconds until it would (not rounded). */
  secondsUntil(cost: number): number {
    const needed = Math.min(cost, this.ratePerSecond) - this.available();
    return needed <= 0 ? 0 : needed / this.ratePerSecond;
  }

  take(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  private refill(): void {
    const now = this.clock();
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.tokens = Math.min(
        this.ratePerSecond,
        this.tokens + (elapsed / 1000) * this.ratePerSecond,
      );
      this.updatedAt = now;
    }
  }
}
