import { BenchRecords } from './bench-records';

describe('bench records', () => {
  const records = new BenchRecords(1024);

  it.each([0, 7, 99_999, 1_234_567])('value %i is exactly 1 KiB of JSON', (index) => {
    expect(Buffer.byteLength(JSON.stringify(records.value(index)))).toBe(1024);
  });

  it('puts a batch into one produce request body, keyed and in order', () => {
    const body = JSON.parse(records.httpBody(10, 3)) as {
      records: { key: string; value: { i: number } }[];
    };
    expect(body.records.map((r) => [r.key, r.value.i])).toEqual([
      ['key-10', 10],
      ['key-11', 11],
      ['key-12', 12],
    ]);
  });
});
