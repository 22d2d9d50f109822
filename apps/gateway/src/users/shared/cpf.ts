import { registerDecorator, type ValidationOptions } from 'class-validator';

const PLAIN = /^\d{11}$/;
const FORMATTED = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;

/** The 11 digits of a CPF written plain ("12345678909") or formatted ("123.456.789-09"). */
export function normalizeCpf(value: string): string | undefined {
  if (PLAIN.test(value)) return value;
  if (FORMATTED.test(value)) return value.replace(/\D/g, '');
  return undefined;
}

/**
 * A Brazilian CPF: 11 digits whose last two are the mod-11 check digits of the ones before, and
 * not all the same digit (000.000.000-00 … 999.999.999-99 pass the checksum but are not issued).
 */
export function isValidCpf(value: string): boolean {
  const digits = normalizeCpf(value);
  if (!digits || /^(\d)\1{10}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  return checkDigit(d.slice(0, 9)) === d[9] && checkDigit(d.slice(0, 10)) === d[10];
}

function checkDigit(digits: number[]): number {
  const weightStart = digits.length + 1;
  const sum = digits.reduce((acc, digit, i) => acc + digit * (weightStart - i), 0);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}

export function IsCpf(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCpf',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          '$property must be a valid CPF: 11 digits, plain or as 123.456.789-09, with valid check digits',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidCpf(value) },
    });
}
