import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { QuotaExceededError } from './quota.errors';
import { LeasedRateQuotas, LIMITS_TTL_MS } from './leased-rate-quotas';
import { RateLimiterQuotaLedger } from './rate-limiter-quota-ledger';
import type { DirectionLimits, RateLimitsSource } from './tenant-rate-limits';

/** The store every instance reaches (Postgres in the gateway), here in memory; it can go down. */
class SharedStore extends RateLimiterMemory {
  state: 'up' | 'failing' | 'silent' = 'up';

  override consume(key: string | number, points?: number): Promise<RateLimiterRes> {
    if (this.state === 'failing') return Promise.reject(new Error('connection refused'));
    if (this.state === 'silent') return new Promise(() => undefined);
    return super.consume(key, points);
  }
}

/** Gateway instances with their own quotas and ledgers over one shared store. */
function setup(rates: { records: number; bytes: number }) {
  const limits: DirectionLimits = { recordsPerSecond: rates.records, bytesPerSecond: rates.bytes };
  const consume: DirectionLimits = { recordsPerSecond: 1000, bytesPerSecond: 1e6 };
  const loads: string[] = [];
  const source: RateLimitsSource = {
    load: async (tenantId) => {
      loads.push(tenantId);
      return { produce: { ...limits }, consume };
    },
    loadAll: async () => new Map([['preloaded', { produce: { ...limits }, consume }]]),
  };
  const stores = new Map<number, SharedStore>();
  const storeOf = (perSecond: number): SharedStore => {
    let store = stores.get(perSecond);
    if (!store) {
      store = new SharedStore({ keyPrefix: 'quota', points: perSecond, duration: 1 });
      stores.set(perSecond, store);
    }
    return store;
  };
  const throttled: string[] = [];
  const leases: string[] = [];
  const fallbacks: unknown[] = [];
  const instance = () =>
    new ReadyQuotas(
      source,
      new RateLimiterQuotaLedger(storeOf, {
        timeoutMs: 250,
        retryMs: 1000,
        onFallback: (error) => fallbacks.push(error),
        onRecovery: () => undefined,
      }),
      {
        throttled: { inc: ({ direction }: { direction: string }) => throttled.push(direction) },
        leases: { inc: ({ direction }: { direction: string }) => leases.push(direction) },
      } as never,
    );
  return {
    quotas: instance(),
    instance,
    throttled,
    leases,
    fallbacks,
    loads,
    limits,
    setStore: (state: SharedStore['state']) => {
      for (const perSecond of [rates.records, rates.bytes, 1000, 1e6])
        storeOf(perSecond).state = state;
    },
  };
}

/** Loads a tenant's limits before its first request, as produce and consume do. */
class ReadyQuotas extends LeasedRateQuotas {
  override async take(...args: Parameters<LeasedRateQuotas['take']>): Promise<void> {
    await this.ready(args[0]);
    return super.take(...args);
  }

  override async headroom(...args: Parameters<LeasedRateQuotas['headroom']>) {
    await this.ready(args[0]);
    return super.headroom(...args);
  }
}

async function rejection(attempt: Promise<unknown>): Promise<QuotaExceededError> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof QuotaExceededError) return error;
    throw error;
  }
  throw new Error('expected a QuotaExceededError');
}

/** Lets overdrafts recorded in the background (consume's charge) reach the ledger. */
const settle = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

describe('LeasedRateQuotas', () => {
  beforeEach(() => jest.useFakeTimers({ now: 5_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('lets a tenant take one second’s worth at once, then answers 429 naming the quota', async () => {
    const { quotas, throttled } = setup({ records: 10, bytes: 1_000_000 });
    await quotas.take('acme', 'produce', 10, 100);
    const error = await rejection(quotas.take('acme', 'produce', 5, 100));
    expect(error.status).toBe(429);
    expect(error.code).toBe('QUOTA.EXCEEDED');
    expect(error.extensions['quota']).toEqual({
      direction: 'produce',
      unit: 'records',
      perSecond: 10,
    });
    expect(error.retryAfterSeconds).toBe(1);
    expect(throttled).toEqual(['produce']);
  });

  it('shares one quota between gateway instances: each second’s worth is granted once', async () => {
    const { instance } = setup({ records: 10, bytes: 1_000_000 });
    const [a, b] = [instance(), instance()];
    await a.take('acme', 'produce', 6, 1);
    await b.take('acme', 'produce', 4, 1);
    await rejection(a.take('acme', 'produce', 1, 1));
    await rejection(b.take('acme', 'produce', 1, 1));
    jest.advanceTimersByTime(1000);
    await a.take('acme', 'produce', 5, 1);
    await b.take('acme', 'produce', 5, 1);
  });

  it('leases a block of a tenth of a second’s quota, so most requests cost no store round trip', async () => {
    const { quotas, leases } = setup({ records: 100, bytes: 1_000_000 });
    for (let i = 0; i < 10; i++) await quotas.take('acme', 'produce', 1, 100);
    expect(leases).toHaveLength(2); // one block of records (10) and one of bytes (100,000)
    await quotas.take('acme', 'produce', 1, 100);
    expect(leases).toHaveLength(3);
  });

  it('refuses locally, without asking the store again, until a used-up window ends', async () => {
    const { quotas, leases } = setup({ records: 2, bytes: 1_000_000 });
    await quotas.take('acme', 'produce', 2, 1);
    await rejection(quotas.take('acme', 'produce', 1, 1));
    const asked = leases.length;
    for (let i = 0; i < 5; i++) await rejection(quotas.take('acme', 'produce', 1, 1));
    expect(leases).toHaveLength(asked);
  });

  it('names the bytes quota and says how long an overdraft takes to pay off', async () => {
    const { quotas } = setup({ records: 1000, bytes: 100 });
    await quotas.take('acme', 'produce', 1, 100);
    quotas.charge('acme', 'produce', 0, 150);
    await settle();
    const error = await rejection(quotas.take('acme', 'produce', 1, 50));
    expect(error.extensions['quota']).toEqual({
      direction: 'produce',
      unit: 'bytes',
      perSecond: 100,
    });
    // 150 bytes beyond a used-up second of 100/s: the rest of this second and 1.5 s, rounded up.
    expect(error.retryAfterSeconds).toBe(3);
  });

  it('takes nothing the tenant could not use when a request is refused', async () => {
    const { quotas } = setup({ records: 10, bytes: 100 });
    await quotas.take('acme', 'produce', 8, 50);
    await rejection(quotas.take('acme', 'produce', 2, 60)); // records fit, bytes do not
    await expect(quotas.take('acme', 'produce', 2, 50)).resolves.toBeUndefined();
  });

  it('admits a request bigger than one second’s quota when a whole second is free', async () => {
    const { quotas, instance } = setup({ records: 10, bytes: 1_000_000 });
    await quotas.take('acme', 'produce', 25, 1);
    expect((await rejection(quotas.take('acme', 'produce', 25, 1))).retryAfterSeconds).toBe(3);
    // The overdraft is in the shared store: another instance waits it off too.
    await rejection(instance().take('acme', 'produce', 1, 1));
    jest.advanceTimersByTime(3000);
    await expect(quotas.take('acme', 'produce', 25, 1)).resolves.toBeUndefined();
  });

  it('keeps tenants and directions apart', async () => {
    const { quotas } = setup({ records: 1, bytes: 1000 });
    await quotas.take('acme', 'produce', 1, 1);
    await expect(quotas.take('globex', 'produce', 1, 1)).resolves.toBeUndefined();
    await expect(quotas.take('acme', 'consume', 1, 1)).resolves.toBeUndefined();
  });

  it('bounds a read by the leased block and refuses one when not a single record fits', async () => {
    const { quotas } = setup({ records: 1, bytes: 1 });
    // consume: 1000 records/s and 1,000,000 bytes/s
    expect(await quotas.headroom('acme', 'consume')).toEqual({ records: 100, bytes: 100_000 });
    quotas.charge('acme', 'consume', 1000, 1000);
    await settle();
    expect((await rejection(quotas.headroom('acme', 'consume'))).extensions['quota']).toMatchObject(
      {
        direction: 'consume',
        unit: 'records',
      },
    );
  });

  it('keeps serving reads that overran the leased block while the shared window has room', async () => {
    const { quotas } = setup({ records: 1, bytes: 1 });
    // Two concurrent reads each fit the block they saw; together they overran it by 50 records.
    expect(await quotas.headroom('acme', 'consume')).toEqual({ records: 100, bytes: 100_000 });
    quotas.charge('acme', 'consume', 75, 75);
    quotas.charge('acme', 'consume', 75, 75);
    await settle();
    // 150 of the window's 1000 records are spent: the next read is served, not refused.
    expect((await quotas.headroom('acme', 'consume')).records).toBeGreaterThan(0);
  });

  it('falls back to quotas of its own while the shared store fails, and shares them once it is back', async () => {
    const { instance, fallbacks, setStore } = setup({ records: 5, bytes: 1_000_000 });
    const [a, b] = [instance(), instance()];
    setStore('failing');
    await a.take('acme', 'produce', 5, 1);
    await b.take('acme', 'produce', 5, 1); // per instance: up to the quota each, never unlimited
    await rejection(a.take('acme', 'produce', 1, 1));
    expect(fallbacks).toHaveLength(2);

    setStore('up');
    jest.advanceTimersByTime(1000);
    await a.take('acme', 'produce', 5, 1);
    await rejection(b.take('acme', 'produce', 1, 1));
  });

  it('treats a store that does not answer in time as down', async () => {
    const { quotas, fallbacks, setStore } = setup({ records: 5, bytes: 1_000_000 });
    setStore('silent');
    const taking = quotas.take('acme', 'produce', 5, 1);
    await jest.advanceTimersByTimeAsync(250);
    await expect(taking).resolves.toBeUndefined();
    expect(fallbacks).toHaveLength(1);
  });

  it('loads the limits once per TTL and applies changed ones', async () => {
    const { quotas, loads, limits } = setup({ records: 100, bytes: 1e6 });
    await quotas.ready('acme');
    await quotas.ready('acme');
    expect(loads).toEqual(['acme']);
    limits.recordsPerSecond = 2;
    jest.advanceTimersByTime(LIMITS_TTL_MS);
    await quotas.ready('acme');
    expect(loads).toEqual(['acme', 'acme']);
    await quotas.take('acme', 'produce', 2, 1);
    await rejection(quotas.take('acme', 'produce', 1, 1));
  });

  it('applies limits preloaded for every tenant without a per-tenant load', async () => {
    const { quotas, loads } = setup({ records: 1, bytes: 1000 });
    await quotas.refreshAll();
    await quotas.take('preloaded', 'produce', 1, 1);
    await rejection(quotas.take('preloaded', 'produce', 1, 1));
    expect(loads).toEqual([]);
  });
});
