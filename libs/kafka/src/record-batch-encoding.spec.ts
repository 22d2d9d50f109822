import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  Decoder,
  Record,
  RecordBatch,
  decodeRecordBatch,
} from './kafkajs-record-batch.test-support';

/**
 * kafkajs's record batch encoding, as patched by patches/kafkajs+2.2.4.patch: its CRC-32C runs
 * slicing-by-8 (it took one table look-up per byte: ~8 ms of CPU per 1,000 records of 1 KiB),
 * and its Encoder's buffers are allocated without zero-filling (every record and header got a
 * zeroed 512-byte buffer, grown by zeroed copies). The same bytes must come out.
 */
const load = createRequire(__filename);
const crc32C = load('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
const Encoder = load('kafkajs/src/protocol/encoder') as new () => {
  writeInt32(value: number): unknown;
  writeVarIntBytes(value: Buffer | string | null): unknown;
  writeBytes(value: Buffer | string): unknown;
  buffer: Buffer;
};

/** CRC-32C (Castagnoli, reflected 0x82f63b78) one bit at a time: the reference. */
function referenceCrc32C(buffer: Buffer): number {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('kafkajs record batch encoding (patched)', () => {
  it('computes CRC-32C: the check value, and the reference on every length up to 600', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    for (let length = 0; length <= 600; length++) {
      const buffer = randomBytes(length);
      expect(crc32C(buffer)).toBe(referenceCrc32C(buffer));
    }
    const large = randomBytes(256 * 1024 + 5);
    expect(crc32C(large)).toBe(referenceCrc32C(large));
    // A view into a larger buffer (what kafkajs passes: a slice of an encoder's buffer).
    expect(crc32C(large.subarray(3, 1003))).toBe(referenceCrc32C(large.subarray(3, 1003)));
  });

  it('writes only what was written, growing past any size', () => {
    const encoder = new Encoder();
    const value = randomBytes(5000);
    encoder.writeInt32(7);
    encoder.writeVarIntBytes(value);
    encoder.writeBytes('ok');
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, 7]),
      Buffer.from([0x90, 0x4e]), // zig-zag varint of 5000
      value,
      Buffer.from([0, 0, 0, 2]),
      Buffer.from('ok'),
    ]);
    expect(encoder.buffer.equals(expected)).toBe(true);
  });

  it('encodes a record batch that decodes to its records, with a valid CRC', async () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({
      key: `key-${i}`,
      value: JSON.stringify({ i, pad: 'x'.repeat(i * 40) }),
      headers: { 'client-id': 'ehc_1', 'tenant-id': 'acme', 'content-type': 'application/json' },
    }));
    const batch = await RecordBatch({
      records: messages.map((message, offsetDelta) => Record({ ...message, offsetDelta })),
      lastOffsetDelta: messages.length - 1,
    });
    const bytes = batch.buffer;
    // firstOffset (8), length (4), partitionLeaderEpoch (4), magic (1), then the CRC of the rest.
    expect(bytes.readUInt32BE(17)).toBe(referenceCrc32C(bytes.subarray(21)));
    const decoded = await decodeRecordBatch(new Decoder(bytes));
    expect(
      decoded.records.map((record) => ({
        key: String(record.key),
        value: String(record.value),
        headers: Object.fromEntries(
          Object.entries(record.headers).map(([name, value]) => [name, String(value)]),
        ),
      })),
    ).toEqual(messages);
  });
});
