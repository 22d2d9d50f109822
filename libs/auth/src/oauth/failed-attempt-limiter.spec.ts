import { FailedAttemptLimiter } from './failed-attempt-limiter';

describe('failed token attempts', () => {
  let now: number;
  const limiter = (maxPerClient = 3, maxPerAddress = 5): FailedAttemptLimiter =>
    new FailedAttemptLimiter({ maxPerClient, maxPerAddress, windowMs: 60_000 }, () => now);

  beforeEach(() => (now = 1_000_000));

  it('lets a client id fail up to its limit, then throttles it until the oldest failure expires', () => {
    const limits = limiter();
    for (let i = 0; i < 3; i++) {
      expect(limits.throttled('ehc_a', `10.0.0.${i}`)).toBeUndefined();
      limits.recordFailure('ehc_a', `10.0.0.${i}`);
      now += 1000;
    }
    expect(limits.throttled('ehc_a', '10.0.0.9')).toEqual({ retryAfterSeconds: 57 });
    expect(limits.throttled('ehc_b', '10.0.0.9')).toBeUndefined();
    now += 57_000;
    expect(limits.throttled('ehc_a', '10.0.0.9')).toBeUndefined();
  });

  it('throttles an address spraying many client ids', () => {
    const limits = limiter(3, 5);
    for (let i = 0; i < 5; i++) limits.recordFailure(`ehc_${i}`, '10.0.0.1');
    expect(limits.throttled('ehc_new', '10.0.0.1')).toEqual({ retryAfterSeconds: 60 });
    expect(limits.throttled('ehc_new', '10.0.0.2')).toBeUndefined();
  });

  it('takes back a failure recorded for an attempt that then succeeded', () => {
    const limits = limiter(2);
    limits.recordFailure('ehc_a', 'x');
    const undo = limits.recordFailure('ehc_a', 'y');
    expect(limits.throttled('ehc_a', 'z')).toBeDefined();
    undo();
    expect(limits.throttled('ehc_a', 'z')).toBeUndefined();
  });

  it('forgets failures older than the window', () => {
    const limits = limiter(2);
    limits.recordFailure('ehc_a', 'x');
    now += 61_000;
    limits.recordFailure('ehc_a', 'y');
    expect(limits.throttled('ehc_a', 'z')).toBeUndefined();
  });

  it('tracks a bounded number of keys, forgetting the least recently failing', () => {
    const limits = new FailedAttemptLimiter(
      { maxPerClient: 1, maxPerAddress: 100, windowMs: 60_000, maxTrackedKeys: 2 },
      () => now,
    );
    limits.recordFailure('ehc_1', 'x');
    limits.recordFailure('ehc_2', 'x');
    limits.recordFailure('ehc_3', 'x');
    expect(limits.throttled('ehc_1', 'y')).toBeUndefined();
    expect(limits.throttled('ehc_3', 'y')).toBeDefined();
  });
});
