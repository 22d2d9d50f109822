import { createHash } from 'node:crypto';
import { ProblemException } from '@event-hub/service-runtime';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

/** An `Idempotency-Key` and the fingerprint of the request it came with. */
export interface IdempotencyClaim {
  /** Scoped to the client ({@link scopedIdempotencyKey}). */
  key: string;
  requestHash: string;
}

/**
 * Keys are per API client: two clients choosing the same key never see each other's commands.
 * The client id's length makes the pair unambiguous whatever characters either holds.
 */
export function scopedIdempotencyKey(clientId: string, key: string): string {
  return `${clientId.length}:${clientId}:${key}`;
}

/** Why a header value cannot be an Idempotency-Key, or undefined when it can. */
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    return `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`;
  }
  if (!/^[\x21-\x7e]+$/.test(key)) return 'must contain only visible ASCII characters';
  return undefined;
}

/**
 * The request's `Idempotency-Key` header, undefined when absent; a value that cannot be a key is
 * answered 400 naming the header, for commands and produce alike.
 */
export function idempotencyKeyOf(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw.join(',') : raw;
  const problem = idempotencyKeyProblem(key);
  if (problem) {
    throw ProblemException.validation([
      { field: 'headers.idempotency-key', message: `Idempotency-Key ${problem}` },
    ]);
  }
  return key;
}

/** The 400 of a route where a retry must be recognised, so the header cannot be left out. */
export function idempotencyKeyRequired(why: string): ProblemException {
  return ProblemException.validation([
    { field: 'headers.idempotency-key', message: `Idempotency-Key is required: ${why}` },
  ]);
}

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order or
 * whitespace are the same request.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 of method, path (without query) and canonical body: what "the same request" means. */
export function requestHash(method: string, url: string, body: unknown): string {
  const path = url.split('?')[0] ?? '';
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`)
    .digest('hex');
}
