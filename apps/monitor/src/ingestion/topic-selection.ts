/**
 * The topics the monitor reads: every topic except Kafka's internal ones (`__consumer_offsets`,
 * `__transaction_state`, …), optionally narrowed by MONITOR_TOPIC_PATTERN. Sorted, so two
 * listings compare equal when the set did not change.
 */
export function selectTopics(names: readonly string[], pattern: RegExp | undefined): string[] {
  return names
    .filter((name) => !name.startsWith('__') && (pattern === undefined || pattern.test(name)))
    .sort();
}

export function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
