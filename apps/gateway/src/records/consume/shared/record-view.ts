import { isUtf8 } from 'node:buffer';
import type { ConsumedRecordView } from './consume.views';
import type { FetchedRecord } from './topic-reader';

/**
 * Values whose stored bytes are valid UTF-8 and valid JSON, by the view holding their parsed
 * value: the answer embeds those bytes as they are instead of serializing the parsed value again
 * (see consumed-records-answer.ts). Weak, so a view nobody answers with is simply collected.
 */
const storedJson = new WeakMap<ConsumedRecordView, Buffer>();

export function toRecordView(record: FetchedRecord): ConsumedRecordView {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  const { value, json } = decodeValue(record.value);
  const view: ConsumedRecordView = {
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key === null ? null : record.key.toString('utf8'),
    value,
    headers,
  };
  if (json && record.value !== null) storedJson.set(view, record.value);
  return view;
}

/** The record's value as stored, when it is valid UTF-8 JSON: what the answer embeds. */
export function storedJsonOf(view: ConsumedRecordView): Buffer | undefined {
  return storedJson.get(view);
}

/** JSON when the value parses as JSON (what produce writes), else the UTF-8 string. */
function decodeValue(value: Buffer | null): { value: unknown; json: boolean } {
  if (value === null) return { value: null, json: false };
  const text = value.toString('utf8');
  try {
    // Parsing is the validation: the bytes are embedded only when they parse, and only when
    // they are valid UTF-8 (the text is decoded with replacement characters otherwise).
    return { value: JSON.parse(text) as unknown, json: isUtf8(value) };
  } catch {
    return { value: text, json: false };
  }
}
