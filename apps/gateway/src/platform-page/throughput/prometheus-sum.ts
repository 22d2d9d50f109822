/**
 * The sum of every series of `metric` in a Prometheus text exposition (all label sets together):
 * the sparklines show platform totals, never per-label lines. 0 when the page declares the metric
 * without a series yet (a labelled counter before its first increment); undefined when it does not
 * declare it at all.
 */
export function sumMetric(exposition: string, metric: string): number | undefined {
  let total: number | undefined;
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`# TYPE ${metric} `)) total ??= 0;
    if (line.startsWith('#') || !line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    // A longer name sharing the prefix (`_total` vs `_total_created`) is another metric.
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const value = Number(valueField(rest));
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/** The value after the label set (label values may hold spaces, braces and escaped quotes). */
function valueField(rest: string): string {
  let index = 0;
  if (rest[0] === '{') {
    let quoted = false;
    for (index = 1; index < rest.length; index += 1) {
      const char = rest[index];
      if (quoted && char === '\\') index += 1;
      else if (char === '"') quoted = !quoted;
      else if (char === '}' && !quoted) break;
    }
    index += 1;
  }
  return rest.slice(index).trim().split(/\s+/)[0] ?? '';
}
