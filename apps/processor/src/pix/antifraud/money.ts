const DECIMAL = /^(0|[1-9]\d{0,15})(?:\.(\d{1,2}))?$/;

/** A non-negative decimal string with at most two decimals as integer cents; never via a float. */
export function toCents(amount: string): bigint {
  const match = DECIMAL.exec(amount);
  if (!match) throw new Error(`not a decimal amount with at most 2 decimals: "${amount}"`);
  return BigInt(match[1] as string) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}
