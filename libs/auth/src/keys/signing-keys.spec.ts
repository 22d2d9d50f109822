import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { generateSigningKeyPem } from './generate-signing-key';
import {
  InvalidKeyError,
  keyId,
  loadSigningKey,
  loadVerificationKey,
  SigningKeyring,
} from './signing-keys';

describe('signing keys and JWKS', () => {
  const current = loadSigningKey(generateSigningKeyPem());
  const previousPem = generateSigningKeyPem();
  const previous = loadVerificationKey(
    createPublicKey(previousPem).export({ type: 'spki', format: 'pem' }).toString(),
  );

  it('publishes the public key as an RS256 signing JWK named by its thumbprint', () => {
    const { keys } = new SigningKeyring(current).jwks();
    expect(keys).toHaveLength(1);
    const [jwk] = keys;
    expect(jwk).toEqual({
      kty: 'RSA',
      n: expect.stringMatching(/^[A-Za-z0-9_-]{342}$/),
      e: 'AQAB',
      kid: current.kid,
      use: 'sig',
      alg: 'RS256',
    });
    expect(jwk).not.toHaveProperty('d');
    // The published key is the one that verifies our signatures.
    const published = createPublicKey({ key: { kty: 'RSA', n: jwk?.n, e: jwk?.e }, format: 'jwk' });
    const data = Buffer.from('payload');
    const signature = sign('sha256', data, current.privateKey);
    expect(verify('sha256', data, published, signature)).toBe(true);
  });

  it('derives the kid from the key alone (RFC 7638), so replicas agree and a new key gets a new id', () => {
    expect(
      loadSigningKey(current.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()).kid,
    ).toBe(current.kid);
    expect(keyId(previous.publicKey)).toBe(previous.kid);
    expect(previous.kid).not.toBe(current.kid);
    expect(current.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('publishes the previous key too during a rotation, and finds either by kid', () => {
    const keyring = new SigningKeyring(current, previous);
    expect(keyring.jwks().keys.map((k) => k.kid)).toEqual([current.kid, previous.kid]);
    expect(keyring.verificationKey(previous.kid)).toBe(previous);
    expect(keyring.verificationKey(current.kid)).toBe(current);
    expect(keyring.verificationKey('other')).toBeUndefined();
    expect(keyring.verificationKey(undefined)).toBeUndefined();
  });

  it('refuses keys that are not RSA of at least 2048 bits', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(() => loadSigningKey(ec.toString())).toThrow(InvalidKeyError);
    expect(() => loadSigningKey(small.toString())).toThrow(/at least 2048 bits/);
    expect(() => loadSigningKey('not a key')).toThrow(/not a PEM private key/);
  });
});
