import { summarize } from './percentiles';

describe('latency summary', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(samples)).toMatchObject({
      count: 100,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
      mean: 50.5,
    });
  });

  it('does not depend on the order samples arrived in', () => {
    expect(summarize([3, 1, 2]).p50).toBe(2);
  });
});
