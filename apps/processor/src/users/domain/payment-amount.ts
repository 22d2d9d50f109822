import { InvalidPaymentAmountError } from './domain-error';

/** numeric(14,2): 12 integer digits and 2 decimals. */
export const PAYMENT_AMOUNT_LIMITS = { integerDigits: 12, decimals: 2 } as const;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Checks a payment amount given as a decimal string and returns it in canonical form ("149.9" →
 * "149.90"). Works on the digits only, so no amount is ever rounded through a binary float.
 */
export function parsePaymentAmount(raw: string): string {
  const match = DECIMAL.exec(raw.trim());
  if (!match) throw new InvalidPaymentAmountError(`amount "${raw}" is not a decimal number`);
  const integer = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  const fraction = match[2] ?? '';
  if (fraction.length > PAYMENT_AMOUNT_LIMITS.decimals) {
    throw new InvalidPaymentAmountError(`amount "${raw}" has more than 2 decimal places`);
  }
  if (integer.length > PAYMENT_AMOUNT_LIMITS.integerDigits) {
    throw new InvalidPaymentAmountError(`amount "${raw}" has more than 12 integer digits`);
  }
  const cents = fraction.padEnd(PAYMENT_AMOUNT_LIMITS.decimals, '0');
  if (/^0+$/.test(integer) && /^0+$/.test(cents)) {
    throw new InvalidPaymentAmountError('amount must be greater than zero');
  }
  return `${integer}.${cents}`;
}
