import { ACCOUNT_BALANCE_TENANT_HEADER } from '@event-hub/contracts';
import type { IHeaders } from 'kafkajs';

/**
 * The fast path of a rebuild: a record value exactly as our outbox writes it —
 * `JSON.stringify({accountId, tenantId, balance, version, updatedAt})`, printable ASCII without
 * escapes — checked byte by byte against the same rules as {@link decodeBalanceRecord}, with no
 * string or object made. Returns the version, or -1 when the value is not in that exact form
 * (another field order, spaces, escapes, a date or number written otherwise, anything invalid):
 * the caller then takes the full decoder, which accepts or rejects it with the reason. So the fast
 * path accepts a subset of what the full decoder accepts, never more.
 */
export function canonicalVersion(
  key: Uint8Array,
  value: Uint8Array,
  headers: IHeaders | undefined,
): number {
  let at = expect(value, 0, ACCOUNT_ID);
  if (at < 0) return -1;
  // The id is compared byte for byte with the key; the caller checked the key is printable ASCII
  // without `"` or `\`, so equal bytes mean an equal string.
  for (let i = 0; i < key.length; i++) if (value[at + i] !== key[i]) return -1;
  at = expect(value, at + key.length, TENANT_ID);
  if (at < 0) return -1;
  const tenantStart = at;
  while (at < value.length && isPlain(value[at] as number)) at++;
  const tenantLength = at - tenantStart;
  if (tenantLength === 0 || tenantLength > 200) return -1;
  if (!tenantHeaderMatches(headers, value, tenantStart, tenantLength)) return -1;
  at = expect(value, at, BALANCE);
  if (at < 0) return -1;
  at = decimal(value, at);
  if (at < 0) return -1;
  // decimal() consumed the balance's closing quote.
  at = expect(value, at, VERSION);
  if (at < 0) return -1;
  let version = 0;
  const digitsStart = at;
  while (at < value.length && isDigit(value[at] as number)) {
    version = version * 10 + ((value[at] as number) - 0x30);
    at++;
  }
  const digits = at - digitsStart;
  if (digits === 0 || digits > 15 || (digits > 1 && value[digitsStart] === 0x30)) return -1;
  at = expect(value, at, UPDATED_AT);
  if (at < 0 || !isoInstant(value, at)) return -1;
  at = expect(value, at + 24, END);
  return at === value.length ? version : -1;
}

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const ACCOUNT_ID = bytes('{"accountId":"');
const TENANT_ID = bytes('","tenantId":"');
const BALANCE = bytes('","balance":"');
const VERSION = bytes(',"version":');
const UPDATED_AT = bytes(',"updatedAt":"');
const END = bytes('"}');

/** The index after `literal` when `value` holds it at `at`, else -1. */
function expect(value: Uint8Array, at: number, literal: Uint8Array): number {
  if (at + literal.length > value.length) return -1;
  for (let i = 0; i < literal.length; i++) if (value[at + i] !== literal[i]) return -1;
  return at + literal.length;
}

/** Printable ASCII a JSON string holds unescaped, `"` and `\` excluded. */
export function isPlain(byte: number): boolean {
  return byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** `-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,2})?` then the closing quote; the index after it, or -1. */
function decimal(value: Uint8Array, at: number): number {
  if (value[at] === 0x2d) at++;
  const start = at;
  while (at < value.length && isDigit(value[at] as number)) at++;
  const whole = at - start;
  if (whole === 0 || whole > 16 || (whole > 1 && value[start] === 0x30)) return -1;
  if (value[at] === 0x2e) {
    const fraction = ++at;
    while (at < value.length && isDigit(value[at] as number)) at++;
    if (at - fraction < 1 || at - fraction > 2) return -1;
  }
  return value[at] === 0x22 ? at + 1 : -1;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (what `toISOString` writes) with fields in range: every such
 * instant is one `Date.parse` accepts (it rolls 31 February over). Hours 24 and leap seconds,
 * which it treats specially, go to the full decoder.
 */
function isoInstant(value: Uint8Array, at: number): boolean {
  if (at + 24 > value.length) return false;
  for (const [offset, byte] of ISO_SEPARATORS) if (value[at + offset] !== byte) return false;
  if (digits(value, at, 4) < 0 || digits(value, at + 20, 3) < 0) return false;
  const month = digits(value, at + 5, 2);
  const day = digits(value, at + 8, 2);
  const hour = digits(value, at + 11, 2);
  const minute = digits(value, at + 14, 2);
  const second = digits(value, at + 17, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

/** `-`, `-`, `T`, `:`, `:`, `.`, `Z` at their places in `YYYY-MM-DDTHH:MM:SS.sssZ`. */
const ISO_SEPARATORS: readonly (readonly [number, number])[] = [
  [4, 0x2d],
  [7, 0x2d],
  [10, 0x54],
  [13, 0x3a],
  [16, 0x3a],
  [19, 0x2e],
  [23, 0x5a],
];

/** The number written by `length` digits at `at`, or -1 when one is not a digit. */
function digits(value: Uint8Array, at: number, length: number): number {
  let result = 0;
  for (let i = at; i < at + length; i++) {
    const byte = value[i] as number;
    if (!isDigit(byte)) return -1;
    result = result * 10 + byte - 0x30;
  }
  return result;
}

/** Absent, or the same bytes as the value's tenantId (a string header goes to the full decoder). */
function tenantHeaderMatches(
  headers: IHeaders | undefined,
  value: Uint8Array,
  start: number,
  length: number,
): boolean {
  const header = headers?.[ACCOUNT_BALANCE_TENANT_HEADER];
  const first = Array.isArray(header) ? header[0] : header;
  if (first === undefined) return true;
  if (typeof first === 'string' || first.length !== length) return false;
  for (let i = 0; i < length; i++) if (first[i] !== value[start + i]) return false;
  return true;
}
