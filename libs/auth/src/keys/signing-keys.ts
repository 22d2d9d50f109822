import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

export const SIGNING_ALGORITHM = 'RS256';
const MIN_RSA_BITS = 2048;

/** The key our tokens are signed with. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A key tokens may have been signed with: the current one, or the one before a rotation. */
export interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
}

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  use: 'sig';
  alg: typeof SIGNING_ALGORITHM;
}

export class InvalidKeyError extends Error {}

/** Reads an RSA private key (PKCS#8 or PKCS#1 PEM); refuses anything else or under 2048 bits. */
export function loadSigningKey(pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new InvalidKeyError(`is not a PEM private key (${(error as Error).message})`);
  }
  const publicKey = createPublicKey(privateKey);
  assertRsa(publicKey);
  return { kid: keyId(publicKey), privateKey, publicKey };
}

/** Reads an RSA public key (SPKI PEM); a private key PEM is accepted too (its public half is used). */
export function loadVerificationKey(pem: string): VerificationKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new InvalidKeyError(`is not a PEM public key (${(error as Error).message})`);
  }
  assertRsa(publicKey);
  return { kid: keyId(publicKey), publicKey };
}

/**
 * The key id is the key's RFC 7638 JWK thumbprint, so every replica derives the same `kid` from
 * the same key with nothing more to configure, and a new key always gets a new id.
 */
export function keyId(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function toPublicJwk(key: VerificationKey): PublicJwk {
  const jwk = key.publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return {
    kty: 'RSA',
    n: String(jwk.n),
    e: String(jwk.e),
    kid: key.kid,
    use: 'sig',
    alg: SIGNING_ALGORITHM,
  };
}

/** The current signing key and, during a rotation, the previous key's public half. */
export class SigningKeyring {
  constructor(
    readonly current: SigningKey,
    readonly previous?: VerificationKey,
  ) {}

  /** The key a token names in its `kid` header, if it is one of ours. */
  verificationKey(kid: string | undefined): VerificationKey | undefined {
    if (kid === undefined) return undefined;
    if (kid === this.current.kid) return this.current;
    if (this.previous && kid === this.previous.kid) return this.previous;
    return undefined;
  }

  /** `GET /.well-known/jwks.json`: every key a valid token may be signed with. */
  jwks(): { keys: PublicJwk[] } {
    const keys = [toPublicJwk(this.current)];
    if (this.previous && this.previous.kid !== this.current.kid) {
      keys.push(toPublicJwk(this.previous));
    }
    return { keys };
  }
}

function assertRsa(publicKey: KeyObject): void {
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new InvalidKeyError(
      `must be an RSA key for ${SIGNING_ALGORITHM} (got ${publicKey.asymmetricKeyType ?? 'unknown'})`,
    );
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new InvalidKeyError(`must be at least ${MIN_RSA_BITS} bits (got ${bits})`);
  }
}
