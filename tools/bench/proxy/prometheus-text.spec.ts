import { difference, histogram, parseSamples, total } from './prometheus-text';

const before = parseSamples(`
# HELP gateway_produce_records_ack_seconds Time to commit
# TYPE gateway_produce_records_ack_seconds histogram
gateway_produce_records_ack_seconds_bucket{le="0.01",outcome="committed"} 10
gateway_produce_records_ack_seconds_bucket{le="0.02",outcome="committed"} 10
gateway_produce_records_ack_seconds_bucket{le="+Inf",outcome="committed"} 10
gateway_produce_records_ack_seconds_sum{outcome="committed"} 0.05
gateway_produce_records_ack_seconds_count{outcome="committed"} 10
process_cpu_seconds_total 1.5
`);
const after = parseSamples(`
gateway_produce_records_ack_seconds_bucket{le="0.01",outcome="committed"} 60
gateway_produce_records_ack_seconds_bucket{le="0.02",outcome="committed"} 110
gateway_produce_records_ack_seconds_bucket{le="+Inf",outcome="committed"} 110
gateway_produce_records_ack_seconds_bucket{le="0.01",outcome="failed"} 1
gateway_produce_records_ack_seconds_bucket{le="0.02",outcome="failed"} 1
gateway_produce_records_ack_seconds_bucket{le="+Inf",outcome="failed"} 1
gateway_produce_records_ack_seconds_sum{outcome="committed"} 1.55
gateway_produce_records_ack_seconds_count{outcome="committed"} 110
gateway_produce_records_ack_seconds_sum{outcome="failed"} 0.001
gateway_produce_records_ack_seconds_count{outcome="failed"} 1
process_cpu_seconds_total 4
`);

describe('Prometheus scrapes of the gateway', () => {
  const delta = difference(after, before);

  it('gives what a counter gained between two scrapes', () => {
    expect(total(delta, 'process_cpu_seconds_total')).toBeCloseTo(2.5);
  });

  it('sums the series of a name whose labels match, ignoring the others', () => {
    expect(total(delta, 'gateway_produce_records_ack_seconds_count')).toBe(101);
    expect(total(delta, 'gateway_produce_records_ack_seconds_count', 'outcome="committed"')).toBe(
      100,
    );
  });

  it('summarises a histogram over the interval: count, mean and bucket-interpolated quantiles', () => {
    const ack = histogram(delta, 'gateway_produce_records_ack_seconds', 'outcome="committed"');
    expect(ack).toMatchObject({ count: 100 });
    expect(ack.mean).toBeCloseTo(0.015);
    // 50 of the 100 fell at or below 0.01, the other 50 in (0.01, 0.02].
    expect(ack.p50).toBeCloseTo(0.01);
    expect(ack.p99).toBeCloseTo(0.0198);
  });

  it('answers NaN, not zero, for a histogram that saw nothing', () => {
    expect(histogram(delta, 'gateway_missing_seconds').mean).toBeNaN();
  });
});
