import { assertDeadlineAfterProduceTimeout, overdueBefore } from './command-deadline';

describe('command deadline (gateway side)', () => {
  it('refuses a deadline that does not exceed the produce timeout, naming both variables', () => {
    expect(() => assertDeadlineAfterProduceTimeout(5000, 5000)).toThrow(
      /GATEWAY_COMMAND_DEADLINE_MS \(5000\) must exceed GATEWAY_PRODUCE_TIMEOUT_MS \(5000\)/,
    );
    expect(() => assertDeadlineAfterProduceTimeout(5001, 5000)).not.toThrow();
  });

  it('resolves only statuses whose deadline lies more than the grace in the past', () => {
    const now = Date.parse('2026-01-01T00:01:00.000Z');
    expect(overdueBefore(now, 30000).toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(overdueBefore(now, 0).toISOString()).toBe('2026-01-01T00:01:00.000Z');
  });
});
