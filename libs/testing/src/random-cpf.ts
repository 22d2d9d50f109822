/** A random valid CPF (11 digits with both check digits), for load generation. */
export function randomCpf(): string {
  const digits = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
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
