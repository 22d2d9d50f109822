/**
 * The metric names a PromQL expression reads, without a full PromQL parser: what is left once
 * strings, label matchers, range selectors and grouping label lists are removed, keywords and
 * numbers dropped, and function and aggregation names (an identifier followed by `(`) skipped.
 * `promtool check rules` has already refused an expression that does not parse, so this only has
 * to find names in valid PromQL. Grafana's `$variables` are replaced first (see grafanaToPromql).
 */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
]);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/\d[\w.]*|[A-Za-z_:][\w:]*/g)) {
    const token = match[0];
    if (/^\d/.test(token) || KEYWORDS.has(token.toLowerCase())) continue;
    const after = stripped.slice((match.index ?? 0) + token.length);
    if (/^\s*\(/.test(after)) continue;
    names.add(token);
  }
  return [...names].sort();
}

/** A Grafana query made plain PromQL: its interval macros and template variables given values. */
export function grafanaToPromql(query: string): string {
  return query
    .replace(/\$__(?:rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{\w+(?::\w+)?\}|\$\w+/g, '.*');
}

/** The metric a Grafana `label_values(metric, label)` variable query reads, if it names one. */
export function labelValuesMetric(query: string): string | undefined {
  return /^\s*label_values\(\s*([A-Za-z_:][\w:]*)\s*,/.exec(query)?.[1];
}
