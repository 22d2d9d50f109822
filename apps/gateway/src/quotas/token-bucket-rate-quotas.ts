import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { withDefaultLimits } from '@event-hub/auth';
import { QuotaMetrics } from './quota.metrics';
import { QuotaExceededError } from './quota.errors';
import { TokenBucket, type Clock } from './token-bucket';
import {
  TenantRateLimits,
  type DirectionLimits,
  type RateLimitsSource,
} from './tenant-rate-limits';
import { RateQuotas, type QuotaDirection, type QuotaHeadroom } from './rate-quotas';

/** Injection token of the clock (tests); `Date.now` by default. */
export const QUOTA_CLOCK = Symbol('QUOTA_CLOCK');

/** Limits changed by an operator reach the buckets within this time. */
export const LIMITS_TTL_MS = 10_000;

interface TenantState {
  limits: Record<QuotaDirection, DirectionLimits>;
  loadedAt: number;
  loading?: Promise<void>;
  buckets: Partial<Record<QuotaDirection, { records: TokenBucket; bytes: TokenBucket }>>;
}

const DEFAULTS = withDefaultLimits(undefined);
const DEFAULT_RATES: Record<QuotaDirection, DirectionLimits> = {
  produce: {
    recordsPerSecond: DEFAULTS.produceRecordsPerSecond,
    bytesPerSecond: DEFAULTS.produceBytesPerSecond,
  },
  consume: {
    recordsPerSecond: DEFAULTS.consumeRecordsPerSecond,
    bytesPerSecond: DEFAULTS.consumeBytesPerSecond,
  },
};

/** {@link RateQuotas} as in-memory token buckets per tenant and direction (per instance). */
@Injectable()
export class TokenBucketRateQuotas
  extends RateQuotas
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private refresher?: NodeJS.Timeout;
  private readonly logger = new Logger(TokenBucketRateQuotas.name);
  private readonly tenants = new Map<string, TenantState>();
  private readonly clock: Clock;

  constructor(
    @Inject(TenantRateLimits) private readonly source: RateLimitsSource,
    @Inject(QuotaMetrics) private readonly metrics: Pick<QuotaMetrics, 'throttled'>,
    @Optional() @Inject(QUOTA_CLOCK) clock?: Clock,
  ) {
    super();
    this.clock = clock ?? Date.now;
  }

  /**
   * Loads every tenant's limits at start and every TTL, so even a caller that cannot await
   * {@link ready} (produce's synchronous `take`) applies a tenant's own limits, not the defaults,
   * except within one TTL of the tenant's creation.
   */
  onApplicationBootstrap(): void {
    void this.refreshAll();
    this.refresher = setInterval(() => void this.refreshAll(), LIMITS_TTL_MS);
    this.refresher.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refresher);
  }

  async refreshAll(): Promise<void> {
    try {
      const all = await this.source.loadAll();
      const now = this.clock();
      for (const [tenantId, limits] of all) {
        const state = this.stateOf(tenantId);
        state.limits = limits;
        state.loadedAt = now;
      }
    } catch (error) {
      this.logger.warn(`Could not load the tenants' limits: ${String(error)}`);
    }
  }

  async ready(tenantId: string): Promise<void> {
    const state = this.stateOf(tenantId);
    if (this.clock() - state.loadedAt < LIMITS_TTL_MS) return;
    state.loading ??= this.source
      .load(tenantId)
      .then(
        (limits) => {
          state.limits = limits;
          state.loadedAt = this.clock();
        },
        (error: unknown) => {
          // Keep the last known limits (a Postgres hiccup must not stop produce or consume) and
          // try again in a second rather than on every request.
          state.loadedAt = this.clock() - LIMITS_TTL_MS + 1000;
          this.logger.warn(`Could not load the limits of tenant ${tenantId}: ${String(error)}`);
        },
      )
      .finally(() => (state.loading = undefined));
    await state.loading;
  }

  take(tenantId: string, direction: QuotaDirection, records: number, bytes: number): void {
    const { records: recordBucket, bytes: byteBucket } = this.bucketsOf(tenantId, direction);
    const recordWait = recordBucket.secondsUntil(records);
    const byteWait = byteBucket.secondsUntil(bytes);
    if (recordWait > 0 || byteWait > 0) {
      this.metrics.throttled.inc({ direction });
      throw recordWait >= byteWait
        ? new QuotaExceededError(direction, 'records', recordBucket.capacity, recordWait)
        : new QuotaExceededError(direction, 'bytes', byteBucket.capacity, byteWait);
    }
    recordBucket.take(records);
    byteBucket.take(bytes);
  }

  headroom(tenantId: string, direction: QuotaDirection): QuotaHeadroom {
    const { records, bytes } = this.bucketsOf(tenantId, direction);
    const recordWait = records.secondsUntil(1);
    const byteWait = bytes.secondsUntil(1);
    if (recordWait > 0 || byteWait > 0) {
      this.metrics.throttled.inc({ direction });
      throw recordWait >= byteWait
        ? new QuotaExceededError(direction, 'records', records.capacity, recordWait)
        : new QuotaExceededError(direction, 'bytes', bytes.capacity, byteWait);
    }
    return {
      records: Math.floor(records.available()),
      bytes: Math.floor(bytes.available()),
    };
  }

  charge(tenantId: string, direction: QuotaDirection, records: number, bytes: number): void {
    const buckets = this.bucketsOf(tenantId, direction);
    buckets.records.take(records);
    buckets.bytes.take(bytes);
  }

  private bucketsOf(tenantId: string, direction: QuotaDirection) {
    const state = this.stateOf(tenantId);
    if (this.clock() - state.loadedAt >= LIMITS_TTL_MS) void this.ready(tenantId);
    const rates = state.limits[direction];
    let buckets = state.buckets[direction];
    if (!buckets) {
      buckets = {
        records: new TokenBucket(rates.recordsPerSecond, this.clock),
        bytes: new TokenBucket(rates.bytesPerSecond, this.clock),
      };
      state.buckets[direction] = buckets;
    } else {
      buckets.records.setRate(rates.recordsPerSecond);
      buckets.bytes.setRate(rates.bytesPerSecond);
    }
    return buckets;
  }

  private stateOf(tenantId: string): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { limits: DEFAULT_RATES, loadedAt: -Infinity, buckets: {} };
      this.tenants.set(tenantId, state);
    }
    return state;
  }
}
