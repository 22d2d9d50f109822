import { randomBytes } from 'node:crypto';

/** The records both sides produce: the same keys and the same JSON values of `valueBytes` each. */
export class BenchRecords {
  private readonly filler: string;

  constructor(readonly valueBytes: number) {
    this.filler = randomBytes(valueBytes).toString('base64');
  }

  key(index: number): string {
    return `key-${index}`;
  }

  /** `{"i":<index>,"pad":"…"}` padded so its JSON is exactly `valueBytes` bytes. */
  value(index: number): { i: number; pad: string } {
    const overhead = `{"i":${index},"pad":""}`.length;
    return { i: index, pad: this.filler.slice(0, Math.max(0, this.valueBytes - overhead)) };
  }

  /** The body of `POST /topics/:name/records` for records [from, from + count). */
  httpBody(from: number, count: number): string {
    const records = [];
    for (let i = from; i < from + count; i++)
      records.push({ key: this.key(i), value: this.value(i) });
    return JSON.stringify({ records });
  }
}
