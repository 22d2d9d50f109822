import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidEnvironmentError } from '@event-hub/service-runtime';
import { generateSigningKeyPem } from '../keys/generate-signing-key';
import { resolveAuthSettings } from './auth-settings';

function problemsOf(env: Record<string, unknown>): string[] {
  try {
    resolveAuthSettings(env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidEnvironmentError');
}

describe('resolveAuthSettings', () => {
  const pem = generateSigningKeyPem();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-settings-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the defaults around an inline key', () => {
    const settings = resolveAuthSettings({ AUTH_JWT_PRIVATE_KEY: pem });
    expect(settings).toMatchObject({
      issuer: 'event-hub',
      audience: 'event-hub-api',
      tokenTtlSeconds: 3600,
      clockToleranceSeconds: 5,
      clientCacheTtlMs: 5000,
      tokenFailureLimits: { maxPerClient: 10, maxPerAddress: 30, windowMs: 60_000 },
      verifiedSecretTtlMs: 900_000,
      platformTenantId: 'platform',
    });
    expect(settings.external).toBeUndefined();
    expect(settings.keyring.previous).toBeUndefined();
  });

  it('reads a key written on one line with \\n escapes, or from a file', () => {
    const oneLine = pem.replace(/\n/g, '\\n');
    const kid = resolveAuthSettings({ AUTH_JWT_PRIVATE_KEY: oneLine }).keyring.current.kid;
    const file = join(dir, 'key.pem');
    writeFileSync(file, pem);
    expect(resolveAuthSettings({ AUTH_JWT_PRIVATE_KEY_FILE: file }).keyring.current.kid).toBe(kid);
  });

  it('names the variable when no signing key is configured', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^AUTH_JWT_PRIVATE_KEY \(missing\)/)]);
  });

  it('names the variable of an unreadable, invalid or doubly configured key, never printing the key', () => {
    expect(problemsOf({ AUTH_JWT_PRIVATE_KEY_FILE: join(dir, 'nope.pem') })).toEqual([
      expect.stringMatching(/^AUTH_JWT_PRIVATE_KEY_FILE .*cannot be read/),
    ]);
    const [invalid] = problemsOf({ AUTH_JWT_PRIVATE_KEY: 'garbage' });
    expect(invalid).toMatch(/^AUTH_JWT_PRIVATE_KEY \(\[redacted\]\): is not a PEM private key/);
    expect(problemsOf({ AUTH_JWT_PRIVATE_KEY: pem, AUTH_JWT_PRIVATE_KEY_FILE: 'x' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_PRIVATE_KEY and AUTH_JWT_PRIVATE_KEY_FILE/),
    ]);
    expect(problemsOf({ AUTH_JWT_PRIVATE_KEY: pem, AUTH_JWT_PREVIOUS_PUBLIC_KEY: 'x' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_PREVIOUS_PUBLIC_KEY/),
    ]);
  });

  it('names bad values of the other variables', () => {
    const problems = problemsOf({
      AUTH_JWT_PRIVATE_KEY: pem,
      AUTH_TOKEN_TTL_SECONDS: '5',
      AUTH_EXTERNAL_ALGORITHMS: 'HS256',
    });
    expect(problems.join('\n')).toMatch(/AUTH_TOKEN_TTL_SECONDS/);
    expect(problems.join('\n')).toMatch(/AUTH_EXTERNAL_ALGORITHMS/);
  });

  it('configures the external issuer only with its JWKS URL, issuer and audience together', () => {
    expect(
      problemsOf({ AUTH_JWT_PRIVATE_KEY: pem, AUTH_EXTERNAL_JWKS_URL: 'http://127.0.0.1/jwks' }),
    ).toEqual([
      expect.stringMatching(/^AUTH_EXTERNAL_ISSUER \(missing\)/),
      expect.stringMatching(/^AUTH_EXTERNAL_AUDIENCE \(missing\)/),
    ]);
    const settings = resolveAuthSettings({
      AUTH_JWT_PRIVATE_KEY: pem,
      AUTH_EXTERNAL_JWKS_URL: 'http://127.0.0.1/jwks',
      AUTH_EXTERNAL_ISSUER: 'https://idp.example',
      AUTH_EXTERNAL_AUDIENCE: 'event-hub',
      AUTH_EXTERNAL_TENANT_CLAIM: 'org',
      AUTH_EXTERNAL_ALGORITHMS: 'RS256,ES256',
    });
    expect(settings.external).toEqual({
      jwksUrl: 'http://127.0.0.1/jwks',
      issuer: 'https://idp.example',
      audience: 'event-hub',
      tenantClaim: 'org',
      scopeClaim: 'scope',
      clientIdClaim: 'client_id',
      algorithms: ['RS256', 'ES256'],
    });
  });

  it('treats empty and undefined variables as unset', () => {
    const settings = resolveAuthSettings({
      AUTH_JWT_PRIVATE_KEY: pem,
      AUTH_EXTERNAL_ISSUER: '',
      AUTH_TOKEN_TTL_SECONDS: undefined,
    });
    expect(settings.external).toBeUndefined();
    expect(settings.tokenTtlSeconds).toBe(3600);
  });
});
