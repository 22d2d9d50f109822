import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('starts full with one second’s worth and refills at its rate, never above it', () => {
    const bucket = new TokenBucket(100, clock);
    expect(bucket.available()).toBe(100);
    bucket.take(100);
    expect(bucket.available()).toBe(0);
    now += 250;
    expect(bucket.available()).toBe(25);
    now += 10_000;
    expect(bucket.available()).toBe(100);
  });

  it('says how long until a cost fits', () => {
    const bucket = new TokenBucket(100, clock);
    bucket.take(90);
    expect(bucket.secondsUntil(10)).toBe(0);
    expect(bucket.secondsUntil(30)).toBeCloseTo(0.2);
  });

  it('admits a cost above its capacity once full, then makes the caller wait the debt off', () => {
    const bucket = new TokenBucket(100, clock);
    expect(bucket.secondsUntil(250)).toBe(0);
    bucket.take(250);
    expect(bucket.available()).toBe(-150);
    expect(bucket.secondsUntil(1)).toBeCloseTo(1.51);
    now += 2500;
    expect(bucket.secondsUntil(250)).toBe(0);
  });

  it('caps the balance when the rate is lowered', () => {
    const bucket = new TokenBucket(100, clock);
    bucket.setRate(10);
    expect(bucket.available()).toBe(10);
  });
});
