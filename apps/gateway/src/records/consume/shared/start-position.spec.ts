import { parseStartPosition, physicalGroupId } from './start-position';

describe('parseStartPosition', () => {
  it('starts at the earliest retained record when no position is given', () => {
    expect(parseStartPosition({})).toEqual({ position: { kind: 'earliest' } });
    expect(parseStartPosition({ fromOffset: '' })).toEqual({ position: { kind: 'earliest' } });
  });

  it('reads one offset for every partition', () => {
    expect(parseStartPosition({ fromOffset: '15' })).toEqual({
      position: { kind: 'offset', offset: 15n },
    });
  });

  it('reads per-partition offsets', () => {
    expect(parseStartPosition({ fromOffset: '0:15,1:20' })).toEqual({
      position: {
        kind: 'offsets',
        offsets: new Map([
          [0, 15n],
          [1, 20n],
        ]),
      },
    });
  });

  it.each(['-1', '1.5', 'abc', '0:1,', '0:1,0:2', '01', '9223372036854775808'])(
    'refuses fromOffset=%s naming the field',
    (fromOffset) => {
      expect(parseStartPosition({ fromOffset })).toEqual({
        problems: [expect.objectContaining({ field: 'query.fromOffset' })],
      });
    },
  );

  it('reads an ISO-8601 instant with a zone', () => {
    expect(parseStartPosition({ fromTime: '2026-01-31T12:00:00.250-03:00' })).toEqual({
      position: { kind: 'time', at: new Date('2026-01-31T15:00:00.250Z') },
    });
  });

  it.each(['2026-01-31', '2026-01-31T12:00:00', 'yesterday', '2026-13-01T00:00:00Z'])(
    'refuses fromTime=%s',
    (fromTime) => {
      expect(parseStartPosition({ fromTime })).toEqual({
        problems: [expect.objectContaining({ field: 'query.fromTime' })],
      });
    },
  );

  it('reads a group name and refuses one that is not a plain name', () => {
    expect(parseStartPosition({ group: 'billing-v2' })).toEqual({
      position: { kind: 'group', group: 'billing-v2' },
    });
    expect(parseStartPosition({ group: '../x' })).toEqual({
      problems: [expect.objectContaining({ field: 'query.group' })],
    });
  });

  it('refuses two start positions at once', () => {
    const result = parseStartPosition({ fromOffset: '1', group: 'g' });
    expect(result).toEqual({
      problems: [
        expect.objectContaining({ field: 'query.fromOffset' }),
        expect.objectContaining({ field: 'query.group' }),
      ],
    });
  });

  it('namespaces a group by tenant', () => {
    expect(physicalGroupId('acme', 'billing')).toBe('tenant.acme.billing');
  });
});
