import { InvalidEnvironmentError } from '@event-hub/service-runtime';
import { generateSigningKeyPem } from '../keys/generate-signing-key';
import { loadSigningKey } from '../keys/signing-keys';
import { resolveVerifierSettings } from './verifier-settings';

function problemsOf(env: Record<string, unknown>): string[] {
  try {
    resolveVerifierSettings(env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidEnvironmentError');
}

describe('resolveVerifierSettings (services that verify tokens without issuing them)', () => {
  const pem = generateSigningKeyPem();

  it("verifies with the gateway's JWKS, needing no key of its own", () => {
    expect(
      resolveVerifierSettings({ AUTH_JWKS_URL: 'http://gateway:8000/.well-known/jwks.json' }),
    ).toEqual({
      issuer: 'event-hub',
      audience: 'event-hub-api',
      clockToleranceSeconds: 5,
      platformTenantId: 'platform',
      localKeys: { jwksUrl: 'http://gateway:8000/.well-known/jwks.json' },
    });
  });

  it('or with the shared public key (and the previous one during a rotation)', () => {
    const settings = resolveVerifierSettings({ AUTH_JWT_PUBLIC_KEY: pem });
    expect(settings.localKeys).toEqual({
      keys: [expect.objectContaining({ kid: loadSigningKey(pem).kid })],
    });
  });

  it('reads the external identity provider as the gateway does', () => {
    const settings = resolveVerifierSettings({
      AUTH_JWKS_URL: 'http://gateway/jwks',
      AUTH_EXTERNAL_JWKS_URL: 'https://idp.example/jwks',
      AUTH_EXTERNAL_ISSUER: 'https://idp.example',
      AUTH_EXTERNAL_AUDIENCE: 'event-hub',
    });
    expect(settings.external).toMatchObject({
      issuer: 'https://idp.example',
      algorithms: ['RS256'],
    });
    expect(
      problemsOf({ AUTH_JWKS_URL: 'http://gateway/jwks', AUTH_EXTERNAL_ISSUER: 'x' }),
    ).toHaveLength(2);
  });

  it('names the variables when no key source or two of them are set', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^AUTH_JWKS_URL \(missing\)/)]);
    expect(problemsOf({ AUTH_JWKS_URL: 'http://gateway/jwks', AUTH_JWT_PUBLIC_KEY: pem })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL and AUTH_JWT_PUBLIC_KEY: set exactly one/),
    ]);
    expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: 'garbage' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_PUBLIC_KEY \(\[redacted\]\): is not a PEM public key/),
    ]);
  });
});
