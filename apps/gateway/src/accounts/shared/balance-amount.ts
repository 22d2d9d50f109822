import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { PIX_MAX_AMOUNT } from '@event-hub/pix-data';

export type BalanceCheck = { ok: true; balance: string } | { ok: false; reason: string };

const DECIMAL = /^(-?)(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;
const MAX_INTEGER_DIGITS = 16;

/**
 * Reads an absolute balance (an adjustment's target) as a decimal string, never a float: zero is a
 * balance, a negative one is not (the ledger never holds one), and at most numeric(18,2) fits.
 * The result has two decimals.
 */
export function checkBalance(value: unknown): BalanceCheck {
  if (typeof value !== 'string') {
    return { ok: false, reason: 'must be a decimal string such as "150.00"' };
  }
  const match = DECIMAL.exec(value);
  if (!match) {
    return { ok: false, reason: 'must be a decimal with at most 2 decimals, such as "150.00"' };
  }
  const [, sign, integer = '0', fraction = ''] = match;
  const balance = `${integer}.${fraction.padEnd(2, '0')}`;
  if (sign && balance !== '0.00') return { ok: false, reason: 'must not be negative' };
  if (integer.length > MAX_INTEGER_DIGITS) {
    return { ok: false, reason: `must be at most ${PIX_MAX_AMOUNT}` };
  }
  return { ok: true, balance };
}

export function normalizeBalance(value: string): string {
  const check = checkBalance(value);
  if (!check.ok) throw new Error(`not a valid balance: ${value}`);
  return check.balance;
}

export function IsBalance(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBalance',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => {
          const check = checkBalance(args.value);
          return `${args.property} ${check.ok ? 'is invalid' : check.reason}`;
        },
        ...options,
      },
      validator: { validate: (value: unknown) => checkBalance(value).ok },
    });
}
