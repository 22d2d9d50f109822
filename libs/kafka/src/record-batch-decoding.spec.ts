import {
  Decoder,
  Long,
  Record,
  RecordBatch,
  decodeRecordBatch,
  type DecodedRecord,
} from './kafkajs-record-batch.test-support';

/**
 * kafkajs's record decoding, as patched by patches/kafkajs+2.2.4.patch: a record's offset and
 * timestamp are summed as numbers while exact (Long parsed the batch's base string for every
 * record), its headers object is built in place (a new object was spread per header), and header
 * names seen lately are reused by their bytes instead of decoded again. What a consumer gets must
 * not change: these are the values and shapes unpatched kafkajs returns.
 */
async function decode(
  firstOffset: Long,
  firstTimestamp: number,
  records: { offsetDelta: number; timestampDelta: number; headers?: Record<string, unknown> }[],
): Promise<DecodedRecord[]> {
  const batch = await RecordBatch({
    firstOffset,
    firstTimestamp,
    lastOffsetDelta: records[records.length - 1]?.offsetDelta ?? 0,
    records: records.map((record) =>
      Record({
        ...record,
        timestampDelta: Long.fromNumber(record.timestampDelta),
        key: null,
        value: Buffer.from('{}'),
      }),
    ),
  });
  return (await decodeRecordBatch(new Decoder(batch.buffer))).records;
}

describe('kafkajs record batch decoding (patched)', () => {
  it('gives each record its batch offset plus delta and timestamp plus delta, as decimal text', async () => {
    const records = await decode(Long.fromNumber(1_234_567), 1_765_080_000_000, [
      { offsetDelta: 0, timestampDelta: 0 },
      { offsetDelta: 7, timestampDelta: 3 },
      { offsetDelta: 9, timestampDelta: -2 },
    ]);
    expect(records.map((r) => [r.offset, r.timestamp])).toEqual([
      ['1234567', '1765080000000'],
      ['1234574', '1765080000003'],
      ['1234576', '1765079999998'],
    ]);
  });

  it('sums exactly past 2^53, where numbers are no longer exact', async () => {
    const records = await decode(Long.fromString('9007199254740990'), 8_000_000_000_000_000, [
      { offsetDelta: 1, timestampDelta: 1 },
      { offsetDelta: 5, timestampDelta: 7 },
    ]);
    expect(records.map((r) => [r.offset, r.timestamp])).toEqual([
      ['9007199254740991', '8000000000000001'],
      ['9007199254740995', '8000000000000007'],
    ]);
  });

  it('collects a repeated header name’s values in an array, in order, names in their order', async () => {
    const [record] = await decode(Long.fromNumber(0), 0, [
      {
        offsetDelta: 0,
        timestampDelta: 0,
        headers: { a: [Buffer.from('1'), Buffer.from('2'), Buffer.from('3')], b: Buffer.from('x') },
      },
    ]);
    expect(Object.keys(record?.headers ?? {})).toEqual(['a', 'b']);
    expect(record?.headers).toEqual({
      a: [Buffer.from('1'), Buffer.from('2'), Buffer.from('3')],
      b: Buffer.from('x'),
    });
  });

  it('makes a header named __proto__ an own property, leaving the prototype alone', async () => {
    const headers = JSON.parse('{"__proto__":"p","c":"d"}') as Record<string, string>;
    const [record] = await decode(Long.fromNumber(0), 0, [
      { offsetDelta: 0, timestampDelta: 0, headers },
    ]);
    const decoded = record?.headers ?? {};
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'c']);
    // Unpatched kafkajs read the inherited __proto__ as a previous value: kept as it was.
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual([
      Object.prototype,
      Buffer.from('p'),
    ]);
  });

  it('decodes header names alike whether seen before or not, long, or not ASCII', async () => {
    const names = ['content-type', 'Content-Type', 'ünï😀', 'k'.repeat(65), 'k'.repeat(64), 'x'];
    const records = await decode(
      Long.fromNumber(0),
      0,
      [0, 1, 2].map((offsetDelta) => ({
        offsetDelta,
        timestampDelta: 0,
        headers: Object.fromEntries(names.map((name) => [name, Buffer.from(name.slice(0, 3))])),
      })),
    );
    for (const record of records) expect(Object.keys(record.headers)).toEqual(names);
    // 40 distinct names, more than the names kept: every one still comes out as written.
    const many = Array.from({ length: 40 }, (_, i) => `h-${i}`);
    const [spread] = await decode(Long.fromNumber(0), 0, [
      {
        offsetDelta: 0,
        timestampDelta: 0,
        headers: Object.fromEntries(many.map((name) => [name, Buffer.from(name)])),
      },
    ]);
    expect(Object.keys(spread?.headers ?? {})).toEqual(many);
  });
});
