import { isRowError } from './usage-chunk.processor';

const driverError = (code: string) =>
  Object.assign(new Error('query failed'), { driverError: { code } });

describe('which database failures dead-letter a usage row', () => {
  it('dead-letters a row Postgres refuses for its values', () => {
    expect(isRowError(driverError('22008'))).toBe(true); // datetime field overflow
    expect(isRowError(driverError('23514'))).toBe(true); // check violation
  });

  it('waits out everything else, never skipping a row', () => {
    expect(isRowError(driverError('42P01'))).toBe(false); // the table is missing
    expect(isRowError(driverError('57P01'))).toBe(false); // admin shutdown
    expect(isRowError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRowError(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
