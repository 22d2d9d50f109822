import { randomBytes } from 'node:crypto';

/**
 * Client ids and secrets use only unreserved characters, so they survive form encoding, HTTP Basic
 * (no `:`) and shells unchanged. The prefixes make a leaked secret easy to recognise (and to scan
 * for) and tell an id from a secret at a glance.
 */
export const CLIENT_ID_PREFIX = 'ehc_';
export const CLIENT_SECRET_PREFIX = 'ehs_';

/** 128 random bits: ids are not secret, but need not be guessable either. */
export function newClientId(): string {
  return `${CLIENT_ID_PREFIX}${randomBytes(16).toString('base64url')}`;
}

/** 256 random bits: what the slow hash protects is already unguessable, the hash guards leaks. */
export function newClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** A syntactically possible client id, checked before touching the database. */
export function isWellFormedClientId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(value);
}
