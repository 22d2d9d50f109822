export interface FailedAttemptLimits {
  /** Failed client authentications one client id may have within the window. */
  maxPerClient: number;
  /** Failed client authentications one source address may have within the window. */
  maxPerAddress: number;
  windowMs: number;
  /** Client ids and addresses tracked at most; the least recently failing are forgotten first. */
  maxTrackedKeys?: number;
}

export interface Throttled {
  retryAfterSeconds: number;
}

/**
 * Counts failed token requests per client id and per source address over a sliding window, in
 * this process's memory. Once either count reaches its limit, further requests are refused
 * before their secret is hashed, until the oldest failure leaves the window. Kept per gateway
 * instance: N instances let an attacker make N times the failures.
 */
export class FailedAttemptLimiter {
  private readonly byClient: SlidingWindow;
  private readonly byAddress: SlidingWindow;

  constructor(
    limits: FailedAttemptLimits,
    private readonly clock: () => number = Date.now,
  ) {
    const maxKeys = limits.maxTrackedKeys ?? 10_000;
    this.byClient = new SlidingWindow(limits.maxPerClient, limits.windowMs, maxKeys);
    this.byAddress = new SlidingWindow(limits.maxPerAddress, limits.windowMs, maxKeys);
  }

  /** Whether a request from this client id and address must wait, and for how long. */
  throttled(clientId: string, address: string): Throttled | undefined {
    const now = this.clock();
    const waitMs = Math.max(
      this.byClient.waitMs(clientId, now),
      this.byAddress.waitMs(address, now),
    );
    return waitMs > 0 ? { retryAfterSeconds: Math.ceil(waitMs / 1000) } : undefined;
  }

  /**
   * Counts a failure now. Returns its undo, so an attempt can be counted as failed while its
   * secret is checked (concurrent guesses cannot all pass {@link throttled} before any of them
   * has failed) and taken back if it succeeds.
   */
  recordFailure(clientId: string, address: string): () => void {
    const now = this.clock();
    this.byClient.add(clientId, now);
    this.byAddress.add(address, now);
    return () => {
      this.byClient.remove(clientId, now);
      this.byAddress.remove(address, now);
    };
  }
}

/** The last `limit` event times per key: enough to know when the limit-th newest leaves the window. */
class SlidingWindow {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** 0 when under the limit; otherwise the time until one of the counted events expires. */
  waitMs(key: string, now: number): number {
    const times = this.events.get(key);
    if (!times || times.length < this.limit) return 0;
    return Math.max(0, (times[0] as number) + this.windowMs - now);
  }

  remove(key: string, time: number): void {
    const times = this.events.get(key);
    const index = times?.lastIndexOf(time) ?? -1;
    if (index >= 0) times?.splice(index, 1);
  }

  add(key: string, now: number): void {
    const times = (this.events.get(key) ?? []).filter((time) => time + this.windowMs > now);
    times.push(now);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    // Re-inserted, so the Map's order is least recently failing first.
    this.events.delete(key);
    this.events.set(key, times);
    if (this.events.size > this.maxKeys) {
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
  }
}
