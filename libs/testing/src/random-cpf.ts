/** A random valid CPF (11 digits with both check digits), for load generation. */
export function randomCpf(): string {
  return cpfWithBase(Array.from({ length: 9 }, () => Math.floor(Math.random() * 10)));
}

/**
 * The valid CPF whose nine base digits are `n` (0 ≤ n < 10⁹), so a load generator counting up
 * from a random start gets distinct documents where random ones would collide (birthday bound:
 * ~50% after 38k draws).
 */
export function cpfOf(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e9) throw new RangeError(`no CPF base for ${n}`);
  return cpfWithBase(String(n).padStart(9, '0').split('').map(Number));
}

function cpfWithBase(digits: number[]): string {
  // Nine equal digits pass the checksum but are invalid CPFs.
  if (digits.every((d) => d === digits[0])) digits[8] = ((digits[0] ?? 0) + 1) % 10;
  digits.push(checkDigit(digits));
  digits.push(checkDigit(digits));
  return digits.join('');
}

function checkDigit(digits: number[]): number {
  const weightStart = digits.length + 1;
  const sum = digits.reduce((acc, d, i) => acc + d * (weightStart - i), 0);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}
