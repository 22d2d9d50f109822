import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { withDefaultLimits } from '@event-hub/auth';
import { QuotaMetrics } from './quota.metrics';
import { QuotaExceededError } from './quota.errors';
import { QuotaLedger } from './quota-ledger';
import {
  TenantRateLimits,
  type DirectionLimits,
  type RateLimitsSource,
} from './tenant-rate-limits';
import { RateQuotas, type QuotaDirection, type QuotaHeadroom, type QuotaUnit } from './rate-quotas';

/** Limits changed by an operator reach the quotas within this time. */
export const LIMITS_TTL_MS = 10_000;

/**
 * The share of one second's quota an instance leases at a time. Smaller: more store round trips;
 * larger: more of a window can sit unused on one instance while another is refused.
 */
export const LEASE_FRACTION = 0.1;

export const leaseBlockOf = (perSecond: number): number =>
  Math.max(1, Math.ceil(perSecond * LEASE_FRACTION));

/** Two leases whose windows end further apart than this belong to different windows. */
const SAME_WINDOW_MS = 500;

interface TenantLimitsState {
  limits: Record<QuotaDirection, DirectionLimits>;
  loadedAt: number;
  loading?: Promise<void>;
}

/** One quota (tenant, direction, unit) as this instance holds it. */
interface Account {
  /** Points leased from the shared window ending at `expiresAt` and not spent yet. */
  balance: number;
  expiresAt: number;
  /** Until then the shared window is used up (or the tenant pays off an overdraft). */
  refusedUntil: number;
  leasing?: Promise<void>;
}

interface Quota {
  key: string;
  direction: QuotaDirection;
  unit: QuotaUnit;
  perSecond: number;
  cost: number;
  account: Account;
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

/**
 * {@link RateQuotas} shared by every gateway instance through a {@link QuotaLedger}: the ledger
 * grants each tenant one second's quota per one-second window, and an instance leases it in blocks
 * of {@link LEASE_FRACTION} and spends them locally, so most requests cost no store round trip.
 * Leased points are spent only within their window; once a window is used up the instance refuses
 * locally until it ends, so a tenant over its quota costs no round trip either.
 */
@Injectable()
export class LeasedRateQuotas
  extends RateQuotas
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private refresher?: NodeJS.Timeout;
  private readonly logger = new Logger(LeasedRateQuotas.name);
  private readonly tenants = new Map<string, TenantLimitsState>();
  private readonly accounts = new Map<string, Account>();

  constructor(
    @Inject(TenantRateLimits) private readonly source: RateLimitsSource,
    @Inject(QuotaLedger) private readonly ledger: QuotaLedger,
    @Inject(QuotaMetrics) private readonly metrics: Pick<QuotaMetrics, 'throttled' | 'leases'>,
  ) {
    super();
  }

  /**
   * Loads every tenant's limits at start and every TTL, so a request applies the tenant's own
   * limits, not the defaults, except within one TTL of the tenant's creation.
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
      const now = Date.now();
      for (const [tenantId, limits] of all) {
        const state = this.limitsStateOf(tenantId);
        state.limits = limits;
        state.loadedAt = now;
      }
    } catch (error) {
      this.logger.warn(`Could not load the tenants' limits: ${String(error)}`);
    }
  }

  async ready(tenantId: string): Promise<void> {
    const state = this.limitsStateOf(tenantId);
    if (Date.now() - state.loadedAt < LIMITS_TTL_MS) return;
    state.loading ??= this.source
      .load(tenantId)
      .then(
        (limits) => {
          state.limits = limits;
          state.loadedAt = Date.now();
        },
        (error: unknown) => {
          // Keep the last known limits (a Postgres hiccup must not stop produce or consume) and
          // try again in a second rather than on every request.
          state.loadedAt = Date.now() - LIMITS_TTL_MS + 1000;
          this.logger.warn(`Could not load the limits of tenant ${tenantId}: ${String(error)}`);
        },
      )
      .finally(() => (state.loading = undefined));
    await state.loading;
  }

  async take(
    tenantId: string,
    direction: QuotaDirection,
    records: number,
    bytes: number,
  ): Promise<void> {
    const quotas = this.quotasOf(tenantId, direction, { records, bytes });
    // A request fits when min(cost, one second's quota) is held: a whole free second admits a
    // larger request, whose excess is then paid off (see overdraw).
    const needed = (quota: Quota): number => Math.min(quota.cost, quota.perSecond);
    await this.topUpAll(quotas, needed);
    this.refuseUnlessHeld(direction, quotas, needed);
    await Promise.all(quotas.map((quota) => this.spend(quota, quota.cost)));
  }

  async headroom(tenantId: string, direction: QuotaDirection): Promise<QuotaHeadroom> {
    const quotas = this.quotasOf(tenantId, direction, { records: 1, bytes: 1 });
    await this.topUpAll(quotas, (quota) => leaseBlockOf(quota.perSecond));
    this.refuseUnlessHeld(direction, quotas, () => 1);
    const [records, bytes] = quotas.map((quota) => Math.floor(quota.account.balance));
    return { records: records ?? 0, bytes: bytes ?? 0 };
  }

  charge(tenantId: string, direction: QuotaDirection, records: number, bytes: number): void {
    for (const quota of this.quotasOf(tenantId, direction, { records, bytes })) {
      void this.spend(quota, quota.cost);
    }
  }

  /**
   * Tops every quota up. While this request awaited one quota's lease, another request may have
   * found a window over and zeroed a balance this one had already topped up: a quota short of
   * `needed` that the ledger did not refuse is topped up again (a few times), so a window
   * rolling over is never taken for an exhausted quota.
   */
  private async topUpAll(quotas: Quota[], needed: (quota: Quota) => number): Promise<void> {
    const short = (quota: Quota): boolean =>
      quota.account.balance < needed(quota) && Date.now() >= quota.account.refusedUntil;
    let pending = quotas;
    for (let attempt = 0; attempt < 3 && pending.length > 0; attempt += 1) {
      await Promise.all(pending.map((quota) => this.topUp(quota, needed(quota))));
      pending = quotas.filter(short);
    }
  }

  /** Tops the lease up to a block (or `atLeast`, when more) unless `atLeast` is held or none is left. */
  private async topUp(quota: Quota, atLeast: number): Promise<void> {
    const { account } = quota;
    const satisfied = (): boolean => {
      if (Date.now() >= account.expiresAt) account.balance = 0;
      return account.balance >= atLeast || Date.now() < account.refusedUntil;
    };
    if (satisfied()) return;
    // One lease in flight per quota: the requests arriving meanwhile usually fit in its block.
    if (account.leasing) {
      await account.leasing;
      if (satisfied()) return;
    }
    const leasing = this.lease(
      quota,
      Math.max(atLeast, leaseBlockOf(quota.perSecond)) - account.balance,
    );
    account.leasing = leasing;
    try {
      await leasing;
    } finally {
      if (account.leasing === leasing) account.leasing = undefined;
    }
  }

  private async lease(quota: Quota, points: number): Promise<void> {
    this.metrics.leases.inc({ direction: quota.direction });
    const { granted, windowEndsInMs } = await this.ledger.lease(quota.key, quota.perSecond, points);
    const { account } = quota;
    const endsAt = Date.now() + windowEndsInMs;
    // Points of an earlier window are never carried into a later one.
    if (endsAt > account.expiresAt + SAME_WINDOW_MS) account.balance = 0;
    account.balance += granted;
    account.expiresAt = Math.max(account.expiresAt, endsAt);
    // Less than asked for: this instance now holds the rest of the window.
    if (granted < points) account.refusedUntil = Math.max(account.refusedUntil, endsAt);
  }

  /** Spends from the lease; what it does not cover is recorded in the ledger as an overdraft. */
  private async spend(quota: Quota, points: number): Promise<void> {
    const { account } = quota;
    account.balance -= points;
    if (account.balance >= 0) return;
    const debt = -account.balance;
    account.balance = 0;
    // Going past this instance's lease is no refusal by itself: the shared window may still hold
    // the debt (the ledger answers 0 then), and the requests meanwhile lease from that window.
    try {
      const refusedMs = await this.ledger.overdraw(quota.key, quota.perSecond, debt);
      if (refusedMs > 0)
        account.refusedUntil = Math.max(account.refusedUntil, Date.now() + refusedMs);
    } catch (error) {
      // Unrecorded debt: refuse here until the window ends, erring on the side of the quota.
      account.refusedUntil = Math.max(account.refusedUntil, account.expiresAt);
      this.logger.warn(`Could not record an overdraft of ${quota.key}: ${String(error)}`);
    }
  }

  /** Throws 429 naming the quota the tenant waits longest for, unless each holds `needed`. */
  private refuseUnlessHeld(
    direction: QuotaDirection,
    quotas: Quota[],
    needed: (quota: Quota) => number,
  ): void {
    let longest: { quota: Quota; waitMs: number } | undefined;
    for (const quota of quotas) {
      if (quota.account.balance >= needed(quota)) continue;
      const { refusedUntil, expiresAt } = quota.account;
      const waitMs = Math.max(refusedUntil, expiresAt) - Date.now();
      if (!longest || waitMs > longest.waitMs) longest = { quota, waitMs };
    }
    if (!longest) return;
    this.metrics.throttled.inc({ direction });
    const { quota, waitMs } = longest;
    throw new QuotaExceededError(direction, quota.unit, quota.perSecond, waitMs / 1000);
  }

  private quotasOf(
    tenantId: string,
    direction: QuotaDirection,
    costs: Record<QuotaUnit, number>,
  ): Quota[] {
    const state = this.limitsStateOf(tenantId);
    if (Date.now() - state.loadedAt >= LIMITS_TTL_MS) void this.ready(tenantId);
    const rates = state.limits[direction];
    const perSecond: Record<QuotaUnit, number> = {
      records: rates.recordsPerSecond,
      bytes: rates.bytesPerSecond,
    };
    return (['records', 'bytes'] as const).map((unit) => {
      const key = `${direction}:${unit}:${tenantId}`;
      let account = this.accounts.get(key);
      if (!account) {
        account = { balance: 0, expiresAt: 0, refusedUntil: 0 };
        this.accounts.set(key, account);
      }
      return { key, direction, unit, perSecond: perSecond[unit], cost: costs[unit], account };
    });
  }

  private limitsStateOf(tenantId: string): TenantLimitsState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { limits: DEFAULT_RATES, loadedAt: -Infinity };
      this.tenants.set(tenantId, state);
    }
    return state;
  }
}
