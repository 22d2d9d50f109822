import type { ConsumedRecordView } from './consume.views';
import type { FetchedRecord } from './topic-reader';

export function toRecordView(record: FetchedRecord): ConsumedRecordView {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key === null ? null : record.key.toString('utf8'),
    value: parseValue(record.value),
    headers,
  };
}

/** JSON when the value parses as JSON (what produce writes), else the UTF-8 string. */
export function parseValue(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
