import { checkAmount } from './amount';

describe('payment amount', () => {
  it.each([
    ['149.90', '149.90'],
    ['149.9', '149.90'],
    ['149', '149.00'],
    ['0.01', '0.01'],
    ['999999999999.99', '999999999999.99'],
  ])('accepts %j as %s', (value, amount) => {
    expect(checkAmount(value)).toEqual({ ok: true, amount });
  });

  it.each([['0'], ['0.00'], ['-5.00']])('rejects the non-positive %j', (value) => {
    expect(checkAmount(value).ok).toBe(false);
  });

  it('says why zero is refused', () => {
    expect(checkAmount('0.00')).toEqual({ ok: false, reason: 'must be greater than 0' });
  });

  it.each([['149.999'], ['1.005']])('rejects %j with more than two decimals', (value) => {
    expect(checkAmount(value)).toEqual({
      ok: false,
      reason: 'must be a positive decimal with at most 2 decimals, such as "149.90"',
    });
  });

  it.each([['1000000000000.00'], ['1000000000000000']])('rejects the huge %j', (value) => {
    expect(checkAmount(value).ok).toBe(false);
  });

  it.each([
    ['1e3'],
    ['149,90'],
    [' 149.90'],
    ['0149.90'],
    ['.5'],
    ['5.'],
    ['NaN'],
    [null],
    [true],
    [{}],
  ])('rejects the malformed %j', (value) => expect(checkAmount(value).ok).toBe(false));

  it.each([[1e3], [0.1], [149.9], [10], [Number.NaN]])(
    'rejects the JSON number %j: money is a decimal string only',
    (value) => {
      expect(checkAmount(value)).toEqual({
        ok: false,
        reason: 'must be a decimal string such as "149.90"',
      });
    },
  );
});
