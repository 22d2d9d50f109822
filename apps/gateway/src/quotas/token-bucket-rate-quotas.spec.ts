import { QuotaExceededError } from './quota.errors';
import type { DirectionLimits, RateLimitsSource } from './tenant-rate-limits';
import { LIMITS_TTL_MS, TokenBucketRateQuotas } from './token-bucket-rate-quotas';

function setup(rates: { records: number; bytes: number }) {
  let now = 5_000_000;
  const throttled: string[] = [];
  const limits: DirectionLimits = {
    recordsPerSecond: rates.records,
    bytesPerSecond: rates.bytes,
  };
  const loads: string[] = [];
  const source: RateLimitsSource = {
    load: async (tenantId) => {
      loads.push(tenantId);
      return { produce: { ...limits }, consume: { recordsPerSecond: 1000, bytesPerSecond: 1e6 } };
    },
    loadAll: async () =>
      new Map([
        [
          'preloaded',
          { produce: { ...limits }, consume: { recordsPerSecond: 1000, bytesPerSecond: 1e6 } },
        ],
      ]),
  };
  const quotas = new TokenBucketRateQuotas(
    source,
    {
      throttled: { inc: ({ direction }: { direction: string }) => throttled.push(direction) },
    } as never,
    () => now,
  );
  return {
    quotas,
    throttled,
    loads,
    limits,
    advance: (ms: number) => (now += ms),
  };
}

const rejection = (fn: () => void): QuotaExceededError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof QuotaExceededError) return error;
    throw error;
  }
  throw new Error('expected a QuotaExceededError');
};

describe('TokenBucketRateQuotas', () => {
  it('lets a tenant take one second’s worth at once, then answers 429 naming the quota', async () => {
    const { quotas, throttled } = setup({ records: 10, bytes: 1_000_000 });
    await quotas.ready('acme');
    quotas.take('acme', 'produce', 10, 100);
    const error = rejection(() => quotas.take('acme', 'produce', 5, 100));
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

  it('names the bytes quota and rounds Retry-After up to whole seconds', async () => {
    const { quotas } = setup({ records: 1000, bytes: 100 });
    await quotas.ready('acme');
    quotas.take('acme', 'produce', 1, 100);
    quotas.charge('acme', 'produce', 0, 150);
    const error = rejection(() => quotas.take('acme', 'produce', 1, 50));
    expect(error.extensions['quota']).toEqual({
      direction: 'produce',
      unit: 'bytes',
      perSecond: 100,
    });
    expect(error.retryAfterSeconds).toBe(2);
  });

  it('takes nothing from either bucket when a request is refused', async () => {
    const { quotas } = setup({ records: 10, bytes: 100 });
    await quotas.ready('acme');
    quotas.take('acme', 'produce', 8, 50);
    rejection(() => quotas.take('acme', 'produce', 2, 60)); // records fit, bytes do not
    expect(() => quotas.take('acme', 'produce', 2, 50)).not.toThrow();
  });

  it('admits a request bigger than one second’s quota when the bucket is full', async () => {
    const { quotas, advance } = setup({ records: 10, bytes: 1_000_000 });
    await quotas.ready('acme');
    quotas.take('acme', 'produce', 25, 1);
    expect(rejection(() => quotas.take('acme', 'produce', 25, 1)).retryAfterSeconds).toBe(3);
    advance(3000);
    expect(() => quotas.take('acme', 'produce', 25, 1)).not.toThrow();
  });

  it('keeps tenants and directions apart', async () => {
    const { quotas } = setup({ records: 1, bytes: 1000 });
    await quotas.ready('acme');
    await quotas.ready('globex');
    quotas.take('acme', 'produce', 1, 1);
    expect(() => quotas.take('globex', 'produce', 1, 1)).not.toThrow();
    expect(() => quotas.take('acme', 'consume', 1, 1)).not.toThrow();
  });

  it('bounds a read by the headroom and refuses one when not a single record fits', async () => {
    const { quotas } = setup({ records: 1, bytes: 1 });
    await quotas.ready('acme');
    quotas.charge('acme', 'consume', 400, 1000);
    expect(quotas.headroom('acme', 'consume')).toEqual({ records: 600, bytes: 999_000 });
    quotas.charge('acme', 'consume', 700, 0);
    expect(rejection(() => quotas.headroom('acme', 'consume')).extensions['quota']).toMatchObject({
      direction: 'consume',
      unit: 'records',
    });
  });

  it('loads the limits once per TTL and applies changed ones', async () => {
    const { quotas, loads, limits, advance } = setup({ records: 100, bytes: 1e6 });
    await quotas.ready('acme');
    await quotas.ready('acme');
    expect(loads).toEqual(['acme']);
    limits.recordsPerSecond = 2;
    advance(LIMITS_TTL_MS);
    await quotas.ready('acme');
    expect(loads).toEqual(['acme', 'acme']);
    quotas.take('acme', 'produce', 2, 1);
    rejection(() => quotas.take('acme', 'produce', 1, 1));
  });

  it('applies limits preloaded for every tenant without a per-tenant load', async () => {
    const { quotas, loads } = setup({ records: 1, bytes: 1000 });
    await quotas.refreshAll();
    quotas.take('preloaded', 'produce', 1, 1);
    rejection(() => quotas.take('preloaded', 'produce', 1, 1));
    expect(loads).toEqual([]);
  });
});
