import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** The largest amount numeric(14,2) holds: 12 integer digits and 2 decimals. */
export const MAX_PAYMENT_AMOUNT = '999999999999.99';

const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;
const MAX_INTEGER_DIGITS = 12;

export type AmountCheck = { ok: true; amount: string } | { ok: false; reason: string };

/**
 * Reads a money amount without ever doing arithmetic on floats. Only a decimal string ("149.90")
 * is an amount: a JSON number has already been through a binary float when the body was parsed
 * (0.1, 1e3 and 1000 all look alike by then), so it is refused rather than guessed at. The result
 * is the canonical string with two decimals.
 */
export function checkAmount(value: unknown): AmountCheck {
  if (typeof value !== 'string') {
    return { ok: false, reason: 'must be a decimal string such as "149.90"' };
  }
  const match = DECIMAL.exec(value);
  if (!match) {
    return {
      ok: false,
      reason: 'must be a positive decimal with at most 2 decimals, such as "149.90"',
    };
  }
  const integer = match[1] as string;
  const decimals = (match[2] ?? '').padEnd(2, '0');
  if (integer.length > MAX_INTEGER_DIGITS) {
    return { ok: false, reason: `must be at most ${MAX_PAYMENT_AMOUNT}` };
  }
  if (/^0+$/.test(integer + decimals)) return { ok: false, reason: 'must be greater than 0' };
  return { ok: true, amount: `${integer}.${decimals}` };
}

/** The canonical amount of a value that passed {@link IsMoneyAmount}. */
export function normalizeAmount(value: string): string {
  const check = checkAmount(value);
  if (!check.ok) throw new Error(`not a valid amount: ${value}`);
  return check.amount;
}

export function IsMoneyAmount(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMoneyAmount',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => {
          const check = checkAmount(args.value);
          return `${args.property} ${check.ok ? 'is invalid' : check.reason}`;
        },
        ...options,
      },
      validator: { validate: (value: unknown) => checkAmount(value).ok },
    });
}
