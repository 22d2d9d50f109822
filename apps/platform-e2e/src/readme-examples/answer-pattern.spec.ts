import { capturedValues, mismatches, parsePattern, PatternSyntaxError } from './answer-pattern';

const pattern = (text: string) => parsePattern(text).pattern;

describe('a README answer pattern', () => {
  it('matches JSON equal to it, member for member and item for item', () => {
    const shown = pattern('{"subject":"orders-value","version":1,"tags":["a",true,null]}');
    expect(
      mismatches(shown, { subject: 'orders-value', version: 1, tags: ['a', true, null] }),
    ).toEqual([]);
    expect(
      mismatches(shown, { subject: 'orders-value', version: 2, tags: ['a', true, null] }),
    ).toEqual(['$.version: 2 is not 1']);
  });

  it('takes "…" and a bare … for any value, but not for a missing one', () => {
    const shown = pattern('{"correlationId":"…","id":…}');
    expect(mismatches(shown, { correlationId: 'c-1', id: 7 })).toEqual([]);
    expect(mismatches(shown, { correlationId: 'c-1' })).toEqual(['$.id: missing']);
  });

  it('takes … inside a string for any text there', () => {
    const shown = pattern('{"statusUrl":"/status/…","range":"…-01…Z"}');
    expect(mismatches(shown, { statusUrl: '/status/abc', range: '2026-12-01T00:00Z' })).toEqual([]);
    expect(mismatches(shown, { statusUrl: '/users/abc', range: '2026-12-01T00:00Z' })).toEqual([
      '$.statusUrl: "/users/abc" is not "/status/…"',
    ]);
  });

  it('refuses members the README does not show unless it ends with …', () => {
    expect(
      mismatches(pattern('{"status":"COMPLETED"}'), { status: 'COMPLETED', extra: 1 }),
    ).toEqual(['$: has extra, which the README does not show']);
    expect(
      mismatches(pattern('{"status":"COMPLETED",…}'), { status: 'COMPLETED', extra: 1 }),
    ).toEqual([]);
  });

  it('takes … anywhere among members, which match by key', () => {
    const shown = pattern('{"name":"orders",…,"valueSubject":"orders-value"}');
    expect(
      mismatches(shown, { valueSubject: 'orders-value', name: 'orders', partitions: 3 }),
    ).toEqual([]);
  });

  it('counts items exactly unless the array ends with …', () => {
    expect(mismatches(pattern('[{"partition":0}]'), [{ partition: 0 }, { partition: 1 }])).toEqual([
      '$: 2 items, the README shows 1',
    ]);
    expect(
      mismatches(pattern('[{"partition":0},…]'), [{ partition: 0 }, { partition: 1 }]),
    ).toEqual([]);
    expect(mismatches(pattern('[{"partition":0},…]'), [])).toEqual([
      '$: 0 items, the README shows 1 or more',
    ]);
  });

  it('names the path of a difference deep in the answer', () => {
    const shown = pattern('{"records":[{"value":{"total":10},…},…]}');
    expect(mismatches(shown, { records: [{ value: { total: 12 } }] })).toEqual([
      '$.records[0].value.total: 12 is not 10',
    ]);
  });

  it('says where it ends, so prose may follow it', () => {
    const text = '{"a":"}"} (also in Location)';
    expect(parsePattern(text).end).toBe('{"a":"}"}'.length);
  });

  it('refuses what is not JSON with …', () => {
    expect(() => parsePattern('{"a":}')).toThrow(PatternSyntaxError);
    expect(() => parsePattern('[1,…,2]')).toThrow(PatternSyntaxError);
    expect(() => parsePattern('"a"')).toThrow(PatternSyntaxError);
  });

  it('gives a reader the values of the keys it shows, the outermost first', () => {
    const shown = pattern('{"id":"…","result":{"userId":"…"},"items":[{"id":"…","n":…}]}');
    const values = capturedValues(shown, {
      id: 'user-1',
      result: { userId: 'u-9' },
      items: [{ id: 'item-1', n: 3 }],
      hidden: 'h',
    });
    expect(Object.fromEntries(values)).toEqual({ id: 'user-1', userId: 'u-9', n: '3' });
  });
});
