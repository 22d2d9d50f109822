import passport from 'passport';
import type { TokenVerifierSettings } from '../config/verifier-settings';
import { generateSigningKeyPem } from '../keys/generate-signing-key';
import { loadSigningKey } from '../keys/signing-keys';
import type { AuthPrincipal } from '../principal';
import { ACCESS_TOKEN_TYPE, accessTokenClaims } from '../tokens/access-token';
import { signRs256 } from '../tokens/jwt';
import { AuthRejection } from './auth-failure';
import { IssuerKeys } from './issuer-keys';
import { JWT_STRATEGY, JwtTokenStrategy, rememberVerifiedPrincipal } from './jwt-token.strategy';

interface Outcome {
  error: unknown;
  user: AuthPrincipal | false;
  info: unknown;
}

/** What passport reports for `request`, with the strategy registered under its name. */
function authenticate(request: object): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(
      JWT_STRATEGY,
      { session: false },
      (error: unknown, user: AuthPrincipal | false, info: unknown) =>
        resolve({ error, user, info }),
    ) as (req: object, res: object, next: (error?: unknown) => void) => void;
    middleware(request, {}, (error) => reject(error ?? new Error('passport passed on')));
  });
}

describe('the event-hub-jwt passport strategy', () => {
  const key = loadSigningKey(generateSigningKeyPem());
  const settings: TokenVerifierSettings = {
    issuer: 'event-hub',
    audience: 'event-hub-api',
    clockToleranceSeconds: 5,
    platformTenantId: 'platform',
    localKeys: { keys: [{ kid: key.kid, publicKey: key.publicKey }] },
  };
  const token = (): string =>
    signRs256(
      { typ: ACCESS_TOKEN_TYPE, kid: key.kid },
      accessTokenClaims({
        issuer: 'event-hub',
        audience: 'event-hub-api',
        clientId: 'ehc_a',
        tenantId: 'acme',
        scopes: ['events:consume'],
        ttlSeconds: 60,
        now: Date.now(),
      }),
      key.privateKey,
    );

  beforeAll(() => {
    // Registers itself with passport under JWT_STRATEGY, as when Nest instantiates it.
    new JwtTokenStrategy(settings);
  });

  afterEach(() => jest.restoreAllMocks());

  it('turns a valid bearer token into the principal of its claims', async () => {
    const { user } = await authenticate({ headers: { authorization: `Bearer ${token()}` } });
    expect(user).toMatchObject({ clientId: 'ehc_a', tenantId: 'acme', scopes: ['events:consume'] });
  });

  it('tells a missing Authorization header from one that is not a bearer token', async () => {
    const missing = await authenticate({ headers: {} });
    expect(missing.user).toBe(false);
    expect((missing.info as AuthRejection).reason).toBe('missing_token');
    const basic = await authenticate({ headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect((basic.info as AuthRejection).reason).toBe('malformed_header');
  });

  it("reports jsonwebtoken's reason when the signature does not verify", async () => {
    const [header, payload] = token().split('.');
    const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
    const { user, info } = await authenticate({ headers: { authorization: `Bearer ${forged}` } });
    expect(user).toBe(false);
    expect((info as Error).message).toBe('invalid signature');
  });

  it('accepts a request verified earlier in its life with that principal, without verifying again', async () => {
    const resolve = jest.spyOn(IssuerKeys.prototype, 'resolve');
    const principal: AuthPrincipal = {
      clientId: 'ehc_a',
      tenantId: 'acme',
      scopes: [],
      subject: 'ehc_a',
      source: 'local',
      issuer: 'event-hub',
    };
    const request = { headers: { authorization: `Bearer ${token()}` } };
    rememberVerifiedPrincipal(request, principal);
    expect((await authenticate(request)).user).toBe(principal);
    expect(resolve).not.toHaveBeenCalled();
  });
});
