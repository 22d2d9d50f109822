import { createPublicKey, verify } from 'node:crypto';
import { generateSigningKeyPem } from '../keys/generate-signing-key';
import { loadSigningKey } from '../keys/signing-keys';
import { accessTokenClaims } from './access-token';
import { decodeUnverified, signRs256 } from './jwt';

describe('access tokens', () => {
  const key = loadSigningKey(generateSigningKeyPem());
  const now = Date.UTC(2026, 0, 15, 12, 0, 0, 750);

  it('carries issuer, audience, client, tenant, scopes and a lifetime from now', () => {
    const claims = accessTokenClaims({
      issuer: 'event-hub',
      audience: 'event-hub-api',
      clientId: 'ehc_a',
      tenantId: 'acme',
      scopes: ['events:produce', 'events:consume'],
      ttlSeconds: 3600,
      now,
    });
    const iat = Math.floor(now / 1000);
    expect(claims).toEqual({
      iss: 'event-hub',
      aud: 'event-hub-api',
      sub: 'ehc_a',
      client_id: 'ehc_a',
      tenant: 'acme',
      scope: 'events:produce events:consume',
      iat,
      nbf: iat,
      exp: iat + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('gives every token its own jti', () => {
    const input = {
      issuer: 'i',
      audience: 'a',
      clientId: 'c',
      tenantId: 't',
      scopes: [],
      ttlSeconds: 60,
      now,
    };
    expect(accessTokenClaims(input).jti).not.toBe(accessTokenClaims(input).jti);
  });

  it('signs with RS256 and names the key in the header', () => {
    const token = signRs256({ typ: 'at+jwt', kid: key.kid }, { sub: 'x' }, key.privateKey);
    const decoded = decodeUnverified(token);
    expect(decoded).toEqual({
      header: { alg: 'RS256', typ: 'at+jwt', kid: key.kid },
      payload: { sub: 'x' },
    });
    const [header, payload, signature] = token.split('.');
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(key.privateKey),
        Buffer.from(signature ?? '', 'base64url'),
      ),
    ).toBe(true);
  });

  it('decodes nothing that is not three base64url segments of JSON objects', () => {
    expect(decodeUnverified('a.b')).toBeUndefined();
    expect(decodeUnverified('not.a.jwt')).toBeUndefined();
    const segment = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(decodeUnverified(`${segment([1])}.${segment({})}.x`)).toBeUndefined();
    expect(decodeUnverified(`${segment({ typ: 'JWT' })}.${segment({})}.x`)).toBeUndefined();
  });
});
