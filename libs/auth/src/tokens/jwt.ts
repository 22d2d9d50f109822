import { sign, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [name: string]: unknown;
}

export interface DecodedJwt {
  header: JwtHeader;
  payload: Record<string, unknown>;
}

/** Signs a JWT with RS256 (RSASSA-PKCS1-v1_5 with SHA-256, Node's default padding for RSA keys). */
export function signRs256(
  header: Omit<JwtHeader, 'alg'>,
  payload: object,
  privateKey: KeyObject,
): string {
  const input = `${encodeSegment({ alg: 'RS256', ...header })}.${encodeSegment(payload)}`;
  const signature = sign('sha256', Buffer.from(input), privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * Reads a JWT's header and payload WITHOUT checking anything: only to choose the key that will
 * verify it. Returns undefined for anything that is not three base64url segments of JSON objects.
 */
export function decodeUnverified(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeSegment(parts[0] ?? '');
  const payload = decodeSegment(parts[1] ?? '');
  if (!header || !payload || typeof header['alg'] !== 'string') return undefined;
  return { header: header as JwtHeader, payload };
}

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
