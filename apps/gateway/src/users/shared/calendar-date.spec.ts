import { isCalendarDate } from './calendar-date';

describe('calendar date', () => {
  it.each(['2025-01-31', '2024-02-29', '1900-01-01'])('accepts %s', (value) =>
    expect(isCalendarDate(value)).toBe(true),
  );

  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-04-31',
    '2025-1-5',
    '2025-01-31T00:00:00Z',
    '31/01/2025',
    '0999-01-01',
    '',
  ])('rejects %j', (value) => expect(isCalendarDate(value)).toBe(false));
});
