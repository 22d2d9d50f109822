import { isUtf8 } from 'node:buffer';
import type { ConsumedRecordView } from './consume.views';
import type { FetchedRecord } from './topic-reader';

/**
 * Beside a read's record views: the stored bytes of each value that is valid UTF-8 and valid
 * JSON (index by index), which the answer embeds as they are instead of serializing the parsed
 * value again (see consumed-records-answer.ts). A non-enumerable property of the array: one per
 * answer, and no part of the view's data. It keeps the views in their order too, so an array
 * reordered or edited since embeds only what still sits where it was.
 */
const STORED_JSON = Symbol('storedJson');

interface StoredJson {
  views: readonly ConsumedRecordView[];
  bytes: readonly (Buffer | undefined)[];
}

type WithStoredJson = readonly ConsumedRecordView[] & { [STORED_JSON]?: StoredJson };

export function toRecordViews(records: readonly FetchedRecord[]): ConsumedRecordView[] {
  const stored = new Array<Buffer | undefined>(records.length);
  const views = records.map((record, index) => {
    let value: unknown = null;
    if (record.value !== null) {
      // JSON when the value parses as JSON (what produce writes), else the UTF-8 string. Parsing
      // is the validation: the bytes are embedded only when they parse, and only when they are
      // valid UTF-8 (decoding replaced what is not).
      const text = record.value.toString('utf8');
      try {
        value = JSON.parse(text) as unknown;
        if (isUtf8(record.value)) stored[index] = record.value;
      } catch {
        value = text;
      }
    }
    return recordView(record, value);
  });
  const storedJson: StoredJson = { views: [...views], bytes: stored };
  Object.defineProperty(views, STORED_JSON, { value: storedJson });
  return views;
}

/** The stored bytes of `records[index]`'s value when the answer may embed them. */
export function storedJsonOf(
  records: readonly ConsumedRecordView[],
  index: number,
): Buffer | undefined {
  const stored = (records as WithStoredJson)[STORED_JSON];
  return stored?.views[index] === records[index] ? stored?.bytes[index] : undefined;
}

function recordView(record: FetchedRecord, value: unknown): ConsumedRecordView {
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(record.headers)) {
    const first = Array.isArray(header) ? header[0] : header;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key === null ? null : record.key.toString('utf8'),
    value,
    headers,
  };
}
