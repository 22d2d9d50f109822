import { COMMAND_ERROR_CODES } from '@event-hub/contracts';
import { InvalidPaymentAmountError } from './domain-error';
import { parsePaymentAmount } from './payment-amount';

describe('payment amount', () => {
  it.each([
    ['149.90', '149.90'],
    ['149.9', '149.90'],
    ['10', '10.00'],
    ['0.01', '0.01'],
    ['007.50', '7.50'],
    ['999999999999.99', '999999999999.99'],
  ])('accepts %s as %s', (raw, canonical) => {
    expect(parsePaymentAmount(raw)).toBe(canonical);
  });

  it.each([
    ['0', 'greater than zero'],
    ['0.00', 'greater than zero'],
    ['-5.00', 'not a decimal number'],
    ['1.999', 'more than 2 decimal places'],
    ['1000000000000.00', 'more than 12 integer digits'],
    ['1e3', 'not a decimal number'],
    ['12,50', 'not a decimal number'],
    ['', 'not a decimal number'],
    ['.5', 'not a decimal number'],
  ])('rejects %s (%s)', (raw, reason) => {
    expect(() => parsePaymentAmount(raw)).toThrow(InvalidPaymentAmountError);
    expect(() => parsePaymentAmount(raw)).toThrow(reason);
  });

  it('fails with the PAYMENT.INVALID_AMOUNT code', () => {
    try {
      parsePaymentAmount('0');
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as InvalidPaymentAmountError).code).toBe(
        COMMAND_ERROR_CODES.paymentInvalidAmount,
      );
    }
  });
});
