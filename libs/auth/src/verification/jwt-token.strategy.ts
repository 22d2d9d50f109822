import { PassportStrategy } from '@nestjs/passport';
import type { Algorithm } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import type { TokenVerifierSettings } from '../config/verifier-settings';
import type { AuthPrincipal } from '../principal';
import { AuthRejection } from './auth-failure';
import type { AuthStateCache } from './auth-state-cache';
import { IssuerKeys } from './issuer-keys';
import { externalPrincipal, hasAudience, localPrincipal } from './token-principal';

/** Reads `Authorization: Bearer <token>`; the guard has already refused anything else. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/**
 * passport-jwt verifies the signature (with the key {@link IssuerKeys} picked), algorithm,
 * issuer, audience, `exp` and `nbf`; {@link validate} then checks what only we know: that the
 * audience belongs to the token's issuer, that the client still exists and is not revoked, and
 * that the tenant is enabled. Without a {@link AuthStateCache} (services that verify only, with no
 * access to the client registry) those registry checks are skipped: a revoked client's tokens
 * then last until they expire.
 *
 * The guard hands passport a fresh object per request (`Object.create(strategy)`), because
 * passport attaches per-request callbacks to the strategy object it is given.
 */
export class JwtTokenStrategy extends PassportStrategy(Strategy, 'event-hub-jwt') {
  constructor(
    private readonly settings: TokenVerifierSettings,
    private readonly state?: AuthStateCache,
    keys: IssuerKeys = new IssuerKeys(settings),
  ) {
    super({
      jwtFromRequest: (request: { headers: Record<string, string | string[] | undefined> }) => {
        const header = request.headers['authorization'];
        return bearerToken(Array.isArray(header) ? header[0] : header);
      },
      secretOrKeyProvider: (
        _request: unknown,
        rawToken: string,
        done: (error: unknown, key?: string) => void,
      ) => {
        keys.resolve(rawToken).then(
          // jsonwebtoken takes a KeyObject as well as a PEM string; passport-jwt's type says string.
          (key) => done(null, key as string),
          (error: unknown) => done(error),
        );
      },
      algorithms: keys.algorithms as Algorithm[],
      issuer: keys.issuers,
      audience: keys.audiences,
      jsonWebTokenOptions: { clockTolerance: settings.clockToleranceSeconds },
    });
  }

  async validate(payload: Record<string, unknown>): Promise<AuthPrincipal> {
    const external = this.settings.external;
    if (external && payload['iss'] === external.issuer) {
      if (!hasAudience(payload, external.audience)) throw new AuthRejection('wrong_audience');
      const principal = externalPrincipal(payload, external, this.settings.platformTenantId);
      if (!this.state) return principal;
      const tenant = await this.state.tenantStatus(principal.tenantId);
      if (!tenant) throw new AuthRejection('unknown_tenant');
      if (tenant.disabled) throw new AuthRejection('disabled_tenant');
      return principal;
    }

    if (!hasAudience(payload, this.settings.audience)) throw new AuthRejection('wrong_audience');
    const principal = localPrincipal(payload, this.settings.platformTenantId);
    if (!this.state) return principal;
    const client = await this.state.clientStatus(principal.clientId);
    if (!client) throw new AuthRejection('unknown_client');
    if (client.tenantId !== principal.tenantId) throw new AuthRejection('invalid_claims');
    if (client.revoked) throw new AuthRejection('revoked_client');
    if (client.tenantDisabled) throw new AuthRejection('disabled_tenant');
    if ((payload['iat'] as number) < client.tokensValidAfterSeconds) {
      throw new AuthRejection('revoked_token');
    }
    return principal;
  }
}
