import { isUtf8 } from 'node:buffer';
import type { IHeaders } from 'kafkajs';
import { consumedRecordsAnswer } from './consumed-records-answer';
import { toRecordViews } from './record-view';
import type { FetchedRecord } from './topic-reader';

function fetched(value: Buffer | null, key: Buffer | null = null, headers: IHeaders = {}) {
  return {
    partition: 1,
    offset: '41',
    timestamp: '1769860800000',
    key,
    value,
    headers,
    bytes: 0,
  } satisfies FetchedRecord;
}

const answerOf = (records: FetchedRecord[]) => {
  const view = {
    records: toRecordViews(records),
    nextOffsets: [{ partition: 1, offset: '42' }],
  };
  return { view, answer: consumedRecordsAnswer(view) };
};

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

  it('re-serializes what was moved in the array since the views were made', () => {
    const { view } = answerOf([fetched(Buffer.from('{"a":1}')), fetched(Buffer.from('"b"'))]);
    view.records.reverse();
    expect(JSON.parse(consumedRecordsAnswer(view).toString('utf8'))).toEqual(
      JSON.parse(JSON.stringify(view)),
    );
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
