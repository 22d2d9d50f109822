import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The central bank's end-to-end id: `E`, the payer institution's 8-digit ISPB, the request's
 * `yyyyMMddHHmm` in UTC and 11 random alphanumerics — 32 characters.
 */
export function endToEndId(
  ispb: string,
  at: Date,
  random: (max: number) => number = randomInt,
): string {
  if (!/^\d{8}$/.test(ispb)) throw new Error(`an ISPB is 8 digits, got "${ispb}"`);
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  let suffix = '';
  for (let i = 0; i < 11; i++) suffix += ALPHANUMERIC[random(ALPHANUMERIC.length)];
  return `E${ispb}${stamp}${suffix}`;
}

export const END_TO_END_ID = /^E\d{8}\d{12}[A-Za-z0-9]{11}$/;
