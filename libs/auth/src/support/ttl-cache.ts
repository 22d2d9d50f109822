export interface TtlCacheOptions {
  /** How long a loaded value is used without asking again. 0 disables caching. */
  ttlMs: number;
  /** How much longer an old value may stand in when loading fails (the store is down). */
  staleIfErrorMs: number;
  maxEntries: number;
  clock?: () => number;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
}

/**
 * A small in-process cache for values looked up on every request. Concurrent misses of one key
 * share a single load; when a load fails, a value up to `staleIfErrorMs` past its TTL is used
 * instead of failing the request.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();
  private readonly clock: () => number;
  /** Bumped by every invalidation, so a load that started before it is not remembered. */
  private generation = 0;

  constructor(private readonly options: TtlCacheOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const now = this.clock();
    if (entry && now - entry.loadedAt < this.options.ttlMs) return entry.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = this.load(key, load, entry);
    this.loading.set(key, promise);
    try {
      return await promise;
    } finally {
      if (this.loading.get(key) === promise) this.loading.delete(key);
    }
  }

  delete(key: K): void {
    this.generation += 1;
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }

  private async load(key: K, load: () => Promise<V>, previous: Entry<V> | undefined): Promise<V> {
    const generation = this.generation;
    try {
      const value = await load();
      if (this.options.ttlMs > 0 && generation === this.generation) this.remember(key, value);
      return value;
    } catch (error) {
      const age = previous ? this.clock() - previous.loadedAt : Infinity;
      if (previous && age < this.options.ttlMs + this.options.staleIfErrorMs) return previous.value;
      throw error;
    }
  }

  private remember(key: K, value: V): void {
    // Re-inserting moves the key to the end, so the first key is always the oldest.
    this.entries.delete(key);
    this.entries.set(key, { value, loadedAt: this.clock() });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
