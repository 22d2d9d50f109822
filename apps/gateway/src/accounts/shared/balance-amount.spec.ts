import { checkBalance } from './balance-amount';

describe('an adjustment balance', () => {
  it.each([
    ['150', '150.00'],
    ['150.5', '150.50'],
    ['0', '0.00'],
    ['-0', '0.00'],
    ['9999999999999999.99', '9999999999999999.99'],
  ])('accepts %j as %s', (value, balance) => {
    expect(checkBalance(value)).toEqual({ ok: true, balance });
  });

  it('refuses a negative balance: the ledger never holds one', () => {
    expect(checkBalance('-3.10')).toEqual({ ok: false, reason: 'must not be negative' });
  });

  it('refuses what numeric(18,2) cannot hold', () => {
    expect(checkBalance('10000000000000000')).toEqual({
      ok: false,
      reason: 'must be at most 9999999999999999.99',
    });
  });

  it.each([['1.005'], ['1e3'], ['1,5'], [' 1'], ['01'], ['NaN'], ['']])(
    'refuses the malformed %j',
    (value) => {
      expect(checkBalance(value)).toEqual({
        ok: false,
        reason: 'must be a decimal with at most 2 decimals, such as "150.00"',
      });
    },
  );

  it.each([[150], [null], [{}]])('refuses the non-string %j: money is a decimal string', (v) => {
    expect(checkBalance(v)).toEqual({
      ok: false,
      reason: 'must be a decimal string such as "150.00"',
    });
  });
});
