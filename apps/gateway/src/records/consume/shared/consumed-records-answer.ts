import { isUtf8 } from 'node:buffer';
import type { IHeaders } from 'kafkajs';
import type { PartitionOffsetView } from './consume.views';
import type { FetchedRecord } from './topic-reader';

/** What a read answers, before it is written out: the records as fetched, and where to go on. */
export interface ReadRecordsAnswer {
  records: readonly FetchedRecord[];
  nextOffsets: PartitionOffsetView[];
}

/** A read's answer with its JSON text ({@link consumedRecordsAnswer}), ready to be sent. */
export interface WrittenReadAnswer extends ReadRecordsAnswer {
  json: Buffer;
}

/**
 * The JSON answer of a read (a {@link ConsumedRecordsView}), as UTF-8 bytes, written in one pass
 * from the fetched records: no view object per record. A value that is valid UTF-8 and valid JSON
 * is embedded as stored (`JSON.parse` is the validation) instead of parsed and serialized again;
 * any other value is written as `JSON.stringify` of the UTF-8 string (or, when it parses only
 * after decoding replaced invalid bytes, of the parsed value). The one visible difference from
 * re-serializing: a stored number keeps the digits it was written with (`1.0`, or an integer
 * beyond 2^53 exactly). Otherwise the answer parses to what `JSON.stringify` of the view said
 * (the spec compares both).
 */
export function consumedRecordsAnswer(answer: ReadRecordsAnswer): Buffer {
  const { records } = answer;
  let expected = 64;
  for (const record of records) expected += (record.value?.length ?? 0) + 256;
  const out = new AnswerBuffer(expected);
  const timestamps = new TimestampText();
  const headers = new HeadersJson();
  out.text('{"records":[');
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as FetchedRecord;
    out.text(
      `${index === 0 ? '' : ','}{"partition":${JSON.stringify(record.partition)},"offset":${JSON.stringify(
        record.offset,
      )},"timestamp":"${timestamps.of(record.timestamp)}","key":${
        record.key === null ? 'null' : JSON.stringify(record.key.toString('utf8'))
      },"value":`,
    );
    writeValue(out, record.value);
    out.bytes(headers.of(record.headers));
  }
  out.text(`],"nextOffsets":${JSON.stringify(answer.nextOffsets)}}`);
  return out.done();
}

function writeValue(out: AnswerBuffer, value: Buffer | null): void {
  if (value === null) {
    out.text('null');
    return;
  }
  const text = value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the UTF-8 string.
    out.text(JSON.stringify(text));
    return;
  }
  if (isUtf8(value)) out.bytes(value);
  // Parses only as decoded (invalid bytes replaced): what it parsed to.
  else out.text(JSON.stringify(parsed));
}

/** The headers as a JSON object of strings: a header's first value when it has several. */
function headersJson(headers: IHeaders): string {
  let json = '{';
  for (const name of Object.keys(headers)) {
    const first = firstValue(headers[name]);
    // As an object would: `__proto__` names no property of it.
    if (first === undefined || name === '__proto__') continue;
    json += `${json.length === 1 ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(first.toString())}`;
  }
  return `${json}}`;
}

/**
 * `,"headers":{…}}` as UTF-8 bytes. Records of a batch mostly carry the same headers (the ones the
 * gateway sets, a producer's own): when a record's names and first values are byte for byte the
 * previous record's, the previous bytes are written again instead of decoding and escaping them.
 */
class HeadersJson {
  /** None before the first record. */
  private names?: string[];
  private values: (Buffer | string | undefined)[] = [];
  private json = Buffer.alloc(0);

  of(headers: IHeaders): Buffer {
    const names = Object.keys(headers);
    if (!this.repeats(headers, names)) {
      this.names = names;
      this.values = names.map((name) => firstValue(headers[name]));
      this.json = Buffer.from(`,"headers":${headersJson(headers)}}`, 'utf8');
    }
    return this.json;
  }

  private repeats(headers: IHeaders, names: string[]): boolean {
    if (this.names === undefined || names.length !== this.names.length) return false;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (name !== this.names[i] || !sameValue(firstValue(headers[name]), this.values[i])) {
        return false;
      }
    }
    return true;
  }
}

function firstValue(header: IHeaders[string]): Buffer | string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

function sameValue(a: Buffer | string | undefined, b: Buffer | string | undefined): boolean {
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string') {
    return a === b;
  }
  if (a.length !== b.length) return false;
  // Header values are short: a loop beats a call into Buffer#equals.
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** ISO-8601 text of Kafka timestamps (ms since the epoch, decimal); a batch's records share theirs. */
class TimestampText {
  private last?: string;
  private lastText = '';

  of(timestamp: string): string {
    if (timestamp !== this.last) {
      this.lastText = new Date(Number(timestamp)).toISOString();
      this.last = timestamp;
    }
    return this.lastText;
  }
}

/** Appends strings (as UTF-8) and bytes to one buffer, growing it when needed. */
class AnswerBuffer {
  private buffer: Buffer;
  private length = 0;

  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafe(expectedBytes);
  }

  text(value: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    this.reserve(3 * value.length);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  bytes(value: Buffer): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
