import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Algorithm } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { TOKEN_VERIFIER_SETTINGS, type TokenVerifierSettings } from '../config/verifier-settings';
import type { AuthPrincipal } from '../principal';
import { AuthRejection } from './auth-failure';
import { AuthStateCache } from './auth-state-cache';
import { VerifiedTokens } from './verified-tokens';
import { IssuerKeys } from './issuer-keys';
import { externalPrincipal, hasAudience, localPrincipal } from './token-principal';

/** The name the strategy is registered under in passport, and that `AuthGuard()` asks for. */
export const JWT_STRATEGY = 'event-hub-jwt';

const VERIFIED_PRINCIPAL = Symbol('eventHub:auth:verifiedPrincipal');

/** What a request looks like to the strategy: Fastify's and Node's requests both fit. */
interface RequestWithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/** Reads `Authorization: Bearer <token>`; null for any other form. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/** Marks `request` as verified, so a later pass of the strategy on it does not verify again. */
export function rememberVerifiedPrincipal(request: object, principal: AuthPrincipal): void {
  Object.assign(request, { [VERIFIED_PRINCIPAL]: principal });
}

/** The principal this request's token was already verified as, if it was. */
export function verifiedPrincipalOf(request: object): AuthPrincipal | undefined {
  return (request as { [VERIFIED_PRINCIPAL]?: AuthPrincipal })[VERIFIED_PRINCIPAL];
}

/**
 * passport-jwt verifies the signature (with the key {@link IssuerKeys} picked), algorithm,
 * issuer, audience, `exp` and `nbf`; {@link validate} then checks what only we know: that the
 * audience belongs to the token's issuer, that the client still exists and is not revoked, and
 * that the tenant is enabled. Without an {@link AuthStateCache} (services that verify only, with
 * no access to the client registry) those registry checks are skipped: a revoked client's tokens
 * then last until they expire.
 *
 * A request whose token was verified earlier in its life (by the hook that authenticates before
 * the body is read) is accepted with that principal: a token is verified once per request. A
 * token whose signature was verified on an earlier request skips that check ({@link VerifiedTokens})
 * but still goes through {@link validate}.
 */
@Injectable()
export class JwtTokenStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  private readonly verifiedTokens: VerifiedTokens;

  constructor(
    @Inject(TOKEN_VERIFIER_SETTINGS) private readonly settings: TokenVerifierSettings,
    @Optional() private readonly state?: AuthStateCache,
  ) {
    const keys = new IssuerKeys(settings);
    super({
      jwtFromRequest: (request: RequestWithHeaders) => bearerToken(authorizationOf(request)),
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
      // validate() reads the raw token from the request, to remember it once verified.
      passReqToCallback: true,
    });
    this.verifiedTokens = new VerifiedTokens(settings.clockToleranceSeconds);
  }

  // passport calls this on a per-request copy of the strategy (Object.create), with fail/success
  // bound to that request.
  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: object): void {
    const verified = verifiedPrincipalOf(request);
    if (verified) return this.success(verified);
    // passport-jwt reports both a missing and a malformed header as "No auth token"; the caller
    // is told which (RFC 6750 §3.1: no error code when no credentials were sent at all).
    const header = authorizationOf(request as unknown as RequestWithHeaders);
    if (header === undefined || header === '') {
      return this.fail(new AuthRejection('missing_token'), 401);
    }
    const token = bearerToken(header);
    if (token === null) return this.fail(new AuthRejection('malformed_header'), 401);
    const claims = this.verifiedTokens.claimsOf(token);
    if (!claims) return super.authenticate(request, options);
    // As passport-jwt ends a verification: a rejection of validate() is an error, not a failure.
    this.checkClaims(claims).then(
      (principal) => this.success(principal),
      (error: unknown) => this.error(error as Error),
    );
  }

  /** Called by passport-jwt with the claims of a token it has just verified. */
  async validate(
    request: RequestWithHeaders,
    payload: Record<string, unknown>,
  ): Promise<AuthPrincipal> {
    const principal = await this.checkClaims(payload);
    const token = bearerToken(authorizationOf(request));
    if (token !== null) this.verifiedTokens.remember(token, payload);
    return principal;
  }

  /** What only we know: the audience belongs to the issuer, client and tenant are in good standing. */
  private async checkClaims(payload: Record<string, unknown>): Promise<AuthPrincipal> {
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

function authorizationOf(request: RequestWithHeaders): string | undefined {
  const header = request.headers['authorization'];
  return Array.isArray(header) ? header[0] : header;
}
