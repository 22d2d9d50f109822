import { isUtf8 } from 'node:buffer';
import type { IHeaders } from 'kafkajs';
import { consumedRecordsAnswer } from './consumed-records-answer';
import type { ConsumedRecordView } from './consume.views';
import type { FetchedRecord } from './topic-reader';

function fetched(
  value: Buffer | null,
  key: Buffer | null = null,
  headers: IHeaders = {},
  timestamp = '1769860800000',
) {
  return {
    partition: 1,
    offset: '41',
    timestamp,
    key,
    value,
    headers,
    bytes: 0,
  } satisfies FetchedRecord;
}

/**
 * The view of a fetched record as the gateway built it before the answer was written in one pass:
 * the value parsed as JSON (else the UTF-8 string), each header's first value as a string.
 */
function referenceView(record: FetchedRecord): ConsumedRecordView {
  let value: unknown = null;
  if (record.value !== null) {
    const text = record.value.toString('utf8');
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      value = text;
    }
  }
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

const nextOffsets = [{ partition: 1, offset: '42' }];

const answerOf = (records: FetchedRecord[]) => ({
  view: { records: records.map(referenceView), nextOffsets },
  answer: consumedRecordsAnswer({ records, nextOffsets }),
});

describe('consumedRecordsAnswer', () => {
  const values: [string, Buffer | null][] = [
    ['an object', Buffer.from('{"orderId":17,"total":99.9,"items":[{"sku":"a"}]}')],
    ['a string', Buffer.from('"plain"')],
    ['a number', Buffer.from('42')],
    ['JSON with spaces', Buffer.from(' { "a" : [ 1 , 2 ] }\n')],
    ['non-ASCII JSON', Buffer.from('{"name":"Zoë ✓ 🚀","sep":"\u2028"}')],
    ['an escaped lone surrogate', Buffer.from('"\\ud800"')],
    ['text that is not JSON', Buffer.from('not json {')],
    ['invalid UTF-8 that would parse', Buffer.from([0x22, 0xff, 0xfe, 0x22])],
    ['a byte order mark', Buffer.from('\ufeff{"a":1}')],
    ['an empty value', Buffer.alloc(0)],
    ['no value', null],
  ];

  it.each(values)('says in UTF-8 what JSON.stringify of the view says, for %s', (_case, value) => {
    const { view, answer } = answerOf([
      fetched(value, Buffer.from('order-"17"\n'), {
        'client-id': Buffer.from('ehc_1'),
        'trace-id': [Buffer.from('x'), Buffer.from('y')],
        'say "hi"\n': Buffer.from('Zoë\u2028'),
        '7': Buffer.from('a number as a name'),
        ['__proto__']: Buffer.from('names no property'),
        empty: [],
      }),
    ]);
    expect(isUtf8(answer)).toBe(true);
    expect(JSON.parse(answer.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(view)));
  });

  it('embeds a stored JSON value byte for byte, and re-serializes anything else', () => {
    const stored = Buffer.from(' {"big":12345678901234567890,"f":1.0}');
    const { answer } = answerOf([fetched(stored), fetched(Buffer.from([0x22, 0xff, 0x22]))]);
    expect(answer.includes(stored)).toBe(true);
    expect(answer.toString('utf8')).toContain('"value":"\ufffd"');
  });

  it('gives each record its own timestamp', () => {
    const { view, answer } = answerOf([
      fetched(Buffer.from('1'), null, {}, '1769860800000'),
      fetched(Buffer.from('2'), null, {}, '1769860800000'),
      fetched(Buffer.from('3'), null, {}, '1769860800123'),
      fetched(Buffer.from('4'), null, {}, '1769860800000'),
    ]);
    expect(JSON.parse(answer.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(view)));
  });

  it('is the documented shape for many records and none', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      fetched(Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(i * 7) }))),
    );
    const { view, answer } = answerOf(many);
    expect(JSON.parse(answer.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(view)));
    expect(JSON.parse(answerOf([]).answer.toString('utf8'))).toEqual({
      records: [],
      nextOffsets: [{ partition: 1, offset: '42' }],
    });
  });
});

describe('consumedRecordsAnswer with headers repeated from record to record', () => {
  it('gives each record its own headers when they differ by a byte, a name, a value or a count', () => {
    const h = (pairs: [string, string | string[]][]): IHeaders =>
      Object.fromEntries(
        pairs.map(([name, value]) => [
          name,
          Array.isArray(value) ? value.map((v) => Buffer.from(v)) : Buffer.from(value),
        ]),
      );
    const records = [
      h([
        ['client-id', 'ehc_1'],
        ['content-type', 'application/json'],
      ]),
      h([
        ['client-id', 'ehc_1'],
        ['content-type', 'application/json'],
      ]),
      h([
        ['client-id', 'ehc_2'],
        ['content-type', 'application/json'],
      ]),
      h([
        ['client-id', 'ehc_2'],
        ['content-typf', 'application/json'],
      ]),
      h([['client-id', 'ehc_2']]),
      h([['client-id', ['ehc_2', 'other']]]),
      h([['client-id', ['ehc_3', 'ehc_2']]]),
      h([
        ['client-id', 'ehc_2'],
        ['content-type', 'application/json'],
      ]),
      {},
      { 'client-id': 'as a string' },
      { 'client-id': 'as a string' },
      h([['client-id', 'as a string']]),
      h([['client-id', 'as a strinG']]),
    ].map((headers) => fetched(Buffer.from('1'), null, headers));
    const { view, answer } = answerOf(records);
    expect(JSON.parse(answer.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(view)));
  });
});
