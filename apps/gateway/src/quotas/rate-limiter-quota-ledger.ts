import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { QuotaLedger, type QuotaLease } from './quota-ledger';

/** Builds the shared store's limiter for quotas of `perSecond` points per one-second window. */
export type SharedLimiterFactory = (perSecond: number) => RateLimiterAbstract;

export interface LedgerFallbackOptions {
  /** A store answer slower than this counts as a failure (a stalled Postgres must not stall produce). */
  timeoutMs: number;
  /** After a failure, how long the local windows are used before the store is tried again. */
  retryMs: number;
  /** Called when the ledger switches to local windows. */
  onFallback: (error: unknown) => void;
  /** Called when the store answers again after a fallback. */
  onRecovery: () => void;
}

/**
 * {@link QuotaLedger} on rate-limiter-flexible's fixed windows (`points` = one second's quota,
 * `duration` = 1 s) in the store every instance reaches.
 *
 * When that store fails or is slow, each instance falls back to windows of its own
 * (`RateLimiterMemory`, the same limits): a tenant then gets up to its quota per instance, as if
 * the quotas were not shared, rather than no limit (one tenant could flood Kafka) or no service
 * (a Postgres outage would stop every tenant's produce and consume, which otherwise keep working
 * from the gateway's caches).
 */
export class RateLimiterQuotaLedger extends QuotaLedger {
  private readonly shared = new Map<number, RateLimiterAbstract>();
  private readonly local = new Map<number, RateLimiterMemory>();
  private localUntil = 0;
  private fallenBack = false;

  constructor(
    private readonly sharedLimiter: SharedLimiterFactory,
    private readonly options: LedgerFallbackOptions,
  ) {
    super();
  }

  async lease(key: string, perSecond: number, points: number): Promise<QuotaLease> {
    const window = await this.consume(key, perSecond, points);
    const usedBefore = window.consumedPoints - points;
    return {
      granted: Math.min(points, Math.max(0, perSecond - usedBefore)),
      windowEndsInMs: Math.max(0, window.msBeforeNext),
    };
  }

  async overdraw(key: string, perSecond: number, points: number): Promise<number> {
    const window = await this.consume(key, perSecond, points);
    const beyond = window.consumedPoints - perSecond;
    if (beyond <= 0) return 0;
    // Whole seconds: the store keeps expiry times in integer milliseconds and Retry-After is in
    // seconds anyway; rounding up errs on the side of the quota.
    const seconds = Math.ceil(
      (Math.max(0, window.msBeforeNext) + (beyond / perSecond) * 1000) / 1000,
    );
    await this.run(perSecond, (limiter) => limiter.block(key, seconds));
    return seconds * 1000;
  }

  /** Consumes `points`; a refusal (more than the window holds) is an answer, not an error. */
  private consume(key: string, perSecond: number, points: number): Promise<RateLimiterRes> {
    return this.run(perSecond, (limiter) =>
      limiter.consume(key, points).catch((refused: unknown) => {
        if (refused instanceof RateLimiterRes) return refused;
        throw refused;
      }),
    );
  }

  private async run<T>(
    perSecond: number,
    operation: (limiter: RateLimiterAbstract) => Promise<T>,
  ): Promise<T> {
    if (Date.now() < this.localUntil) return operation(this.localLimiter(perSecond));
    try {
      const result = await withTimeout(operation(this.sharedOf(perSecond)), this.options.timeoutMs);
      if (this.fallenBack) {
        this.fallenBack = false;
        this.options.onRecovery();
      }
      return result;
    } catch (error) {
      this.localUntil = Date.now() + this.options.retryMs;
      if (!this.fallenBack) {
        this.fallenBack = true;
        this.options.onFallback(error);
      }
      return operation(this.localLimiter(perSecond));
    }
  }

  private sharedOf(perSecond: number): RateLimiterAbstract {
    let limiter = this.shared.get(perSecond);
    if (!limiter) {
      limiter = this.sharedLimiter(perSecond);
      this.shared.set(perSecond, limiter);
    }
    return limiter;
  }

  private localLimiter(perSecond: number): RateLimiterMemory {
    let limiter = this.local.get(perSecond);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: 'quota', points: perSecond, duration: 1 });
      this.local.set(perSecond, limiter);
    }
    return limiter;
  }
}

function withTimeout<T>(operation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the quota store did not answer in ${ms} ms`)), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
