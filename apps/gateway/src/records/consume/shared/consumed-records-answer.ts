import type { ConsumedRecordsView } from './consume.views';
import { storedJsonOf } from './record-view';

/**
 * The JSON answer of a read, as UTF-8 bytes: what `JSON.stringify(view)` would say, except that a
 * value stored as valid UTF-8 JSON is embedded as stored (see {@link storedJsonOf}) instead of
 * parsed and serialized again. For an answer of ~1 MiB of values that serialization and its
 * UTF-8 encoding were most of the gateway's own work per consumed record. The one visible
 * difference: the value's JSON text is the stored one, so a number keeps the digits it was
 * written with (`1.0`, or an integer beyond 2^53 exactly) where re-serializing would round it.
 */
export function consumedRecordsAnswer(view: ConsumedRecordsView): Buffer {
  const out = new AnswerBuffer(
    view.records.reduce(
      (sum, _record, index) => sum + (storedJsonOf(view.records, index)?.length ?? 0) + 256,
      64,
    ),
  );
  out.text('{"records":[');
  view.records.forEach((record, index) => {
    out.text(
      `${index === 0 ? '' : ','}{"partition":${JSON.stringify(record.partition)},"offset":${JSON.stringify(
        record.offset,
      )},"timestamp":${JSON.stringify(record.timestamp)},"key":${JSON.stringify(record.key)},"value":`,
    );
    const stored = storedJsonOf(view.records, index);
    if (stored) out.bytes(stored);
    else out.text(JSON.stringify(record.value));
    out.text(`,"headers":${JSON.stringify(record.headers)}}`);
  });
  out.text(`],"nextOffsets":${JSON.stringify(view.nextOffsets)}}`);
  return out.done();
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
