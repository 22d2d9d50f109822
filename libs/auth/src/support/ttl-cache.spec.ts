import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const clock = (): number => now;
  const cache = (ttlMs = 1000): TtlCache<string, number> =>
    new TtlCache({ ttlMs, staleIfErrorMs: 5000, maxEntries: 2, clock });

  beforeEach(() => {
    now = 0;
  });

  it('loads once within the TTL and again after it', async () => {
    const c = cache();
    const load = jest.fn().mockResolvedValueOnce(1).mockResolvedValueOnce(2);
    expect(await c.get('k', load)).toBe(1);
    now = 999;
    expect(await c.get('k', load)).toBe(1);
    now = 1000;
    expect(await c.get('k', load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load between concurrent misses', async () => {
    const c = cache();
    const load = jest.fn(() => new Promise<number>((resolve) => setImmediate(() => resolve(7))));
    expect(await Promise.all([c.get('k', load), c.get('k', load), c.get('k', load)])).toEqual([
      7, 7, 7,
    ]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('serves the old value while loading fails, up to the stale limit', async () => {
    const c = cache();
    await c.get('k', async () => 1);
    const failing = (): Promise<number> => Promise.reject(new Error('down'));
    now = 3000;
    expect(await c.get('k', failing)).toBe(1);
    now = 6000;
    await expect(c.get('k', failing)).rejects.toThrow('down');
  });

  it('forgets a deleted key, and does not keep a load that started before the deletion', async () => {
    const c = cache();
    let release: (value: number) => void = () => undefined;
    const slow = c.get('k', () => new Promise<number>((resolve) => (release = resolve)));
    c.delete('k');
    release(1);
    expect(await slow).toBe(1);
    expect(await c.get('k', async () => 2)).toBe(2);
  });

  it('caches nothing with a TTL of 0', async () => {
    const c = cache(0);
    const load = jest.fn().mockResolvedValue(1);
    await c.get('k', load);
    await c.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const c = cache();
    const load = jest.fn().mockResolvedValue(1);
    await c.get('a', load);
    await c.get('b', load);
    await c.get('c', load);
    await c.get('b', load);
    await c.get('a', load);
    expect(load).toHaveBeenCalledTimes(4);
  });
});
