import type { ExternalIssuerSettings } from '../config/auth-settings';
import { AuthRejection } from './auth-failure';
import { externalPrincipal, hasAudience, localPrincipal } from './token-principal';

describe('token principals', () => {
  const local = {
    iss: 'event-hub',
    aud: 'event-hub-api',
    sub: 'ehc_a',
    client_id: 'ehc_a',
    tenant: 'acme',
    scope: 'events:produce unknown:scope admin',
    iat: 1,
    nbf: 1,
    exp: 2,
    jti: 'j-1',
  };

  it('maps our claims to the principal, ignoring unknown scopes', () => {
    expect(localPrincipal({ ...local, scope: 'events:produce unknown' }, 'platform')).toEqual({
      clientId: 'ehc_a',
      tenantId: 'acme',
      scopes: ['events:produce'],
      subject: 'ehc_a',
      source: 'local',
      issuer: 'event-hub',
      tokenId: 'j-1',
    });
  });

  it('honours admin only for the platform tenant', () => {
    expect(localPrincipal(local, 'platform').scopes).toEqual(['events:produce']);
    expect(localPrincipal({ ...local, tenant: 'platform' }, 'platform').scopes).toEqual([
      'events:produce',
      'admin',
    ]);
  });

  it.each([['sub'], ['tenant'], ['scope'], ['jti'], ['exp']])(
    'refuses a token without %s',
    (claim) => {
      const payload: Record<string, unknown> = { ...local };
      delete payload[claim];
      expect(() => localPrincipal(payload, 'platform')).toThrow(AuthRejection);
    },
  );

  it('refuses a client_id that differs from sub', () => {
    expect(() => localPrincipal({ ...local, client_id: 'other' }, 'platform')).toThrow(
      AuthRejection,
    );
  });

  const external: ExternalIssuerSettings = {
    jwksUrl: 'http://127.0.0.1/jwks',
    issuer: 'https://idp.example',
    audience: 'event-hub',
    tenantClaim: 'org',
    scopeClaim: 'scp',
    clientIdClaim: 'client_id',
    algorithms: ['RS256'],
  };

  it("maps an identity provider's configured claims, with scopes as an array or a string", () => {
    expect(
      externalPrincipal(
        { iss: external.issuer, sub: 'user-1', azp: 'spa', org: 'acme', scp: ['events:consume'] },
        external,
        'platform',
      ),
    ).toEqual({
      clientId: 'spa',
      tenantId: 'acme',
      scopes: ['events:consume'],
      subject: 'user-1',
      source: 'external',
      issuer: external.issuer,
    });
    expect(
      externalPrincipal(
        {
          sub: 'svc',
          client_id: 'svc-client',
          org: 'acme',
          scp: 'events:produce billing:read',
          jti: 'x',
        },
        external,
        'platform',
      ),
    ).toMatchObject({
      clientId: 'svc-client',
      scopes: ['events:produce', 'billing:read'],
      tokenId: 'x',
    });
  });

  it('refuses an external token without a well-formed tenant', () => {
    expect(() =>
      externalPrincipal({ sub: 'u', org: 'Not A Slug', scp: 'admin' }, external, 'platform'),
    ).toThrow(AuthRejection);
    expect(() => externalPrincipal({ sub: 'u', scp: 'admin' }, external, 'platform')).toThrow(
      AuthRejection,
    );
  });

  it('matches an audience given as a string or an array', () => {
    expect(hasAudience({ aud: 'a' }, 'a')).toBe(true);
    expect(hasAudience({ aud: ['b', 'a'] }, 'a')).toBe(true);
    expect(hasAudience({ aud: 'b' }, 'a')).toBe(false);
    expect(hasAudience({}, 'a')).toBe(false);
  });
});
