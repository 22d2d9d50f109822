import { sumMetric } from './prometheus-sum';

const PAGE = [
  '# HELP processor_commands_total Commands handled',
  '# TYPE processor_commands_total counter',
  'processor_commands_total{command="users.create_user",outcome="completed",service="processor"} 12',
  'processor_commands_total{command="users.delete_user",outcome="failed",service="processor"} 3',
  '# TYPE processor_commands_total_created gauge',
  'processor_commands_total_created{service="processor"} 1733486400',
  '# TYPE processor_consumer_lag gauge',
  'processor_consumer_lag{partition="0",note="a } and a \\" inside"} 4 1733486400000',
  'processor_consumer_lag{partition="1"} 6',
  '# TYPE gateway_commands_accepted_total counter',
  'process_open_fds 21',
].join('\n');

describe('summing a metric over its series in a /metrics page', () => {
  it('adds every label set of the metric, and nothing of a metric sharing its prefix', () => {
    expect(sumMetric(PAGE, 'processor_commands_total')).toBe(15);
  });

  it('reads the value after label values holding braces, quotes and a timestamp', () => {
    expect(sumMetric(PAGE, 'processor_consumer_lag')).toBe(10);
  });

  it('reads a series without labels', () => {
    expect(sumMetric(PAGE, 'process_open_fds')).toBe(21);
  });

  it('is 0 for a metric declared without a series yet, undefined for one not on the page', () => {
    expect(sumMetric(PAGE, 'gateway_commands_accepted_total')).toBe(0);
    expect(sumMetric(PAGE, 'monitor_records_read_total')).toBeUndefined();
  });
});
