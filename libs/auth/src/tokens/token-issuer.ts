import type { ApiClientsService } from '../clients/api-clients.service';
import type { AuthSettings } from '../config/auth-settings';
import type { FailedAttemptLimiter } from '../oauth/failed-attempt-limiter';
import { OAuthError } from '../oauth/oauth-error';
import { TokenRequestThrottledError } from '../oauth/token-throttled';
import type { TokenRequest } from '../oauth/token-request';
import { grantScopes } from '../scopes/scopes';
import { AuthUnavailableError } from '../verification/auth-failure';
import { ACCESS_TOKEN_TYPE, accessTokenClaims } from './access-token';
import { signRs256 } from './jwt';

/** The body of a successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface IssuedToken {
  response: TokenResponse;
  tenantId: string;
  clientId: string;
}

/**
 * The client-credentials grant: authenticates the client, narrows the scopes, signs the token.
 * A client id or address with too many recent failures is refused before its secret is hashed
 * (unless the secret is one verified recently), so guessing costs the server next to nothing.
 */
export class TokenIssuer {
  constructor(
    private readonly settings: AuthSettings,
    private readonly clients: ApiClientsService,
    private readonly failedAttempts?: FailedAttemptLimiter,
    private readonly clock: () => number = Date.now,
  ) {}

  /** @param sourceAddress the caller's address, for the failed-attempt limit. */
  async issue(request: TokenRequest, sourceAddress = 'unknown'): Promise<IssuedToken> {
    const throttled = this.failedAttempts?.throttled(request.clientId, sourceAddress);
    // Counted as failed until it succeeds: concurrent guesses cannot all pass the check above.
    const undoFailure = throttled
      ? undefined
      : this.failedAttempts?.recordFailure(request.clientId, sourceAddress);
    let authentication;
    try {
      authentication = await this.clients.authenticate(request.clientId, request.clientSecret, {
        allowSlowCheck: throttled === undefined,
      });
    } catch (error) {
      undoFailure?.();
      throw new AuthUnavailableError('store', { cause: error });
    }
    if (!authentication.ok && throttled && authentication.reason === 'unchecked') {
      throw new TokenRequestThrottledError(throttled.retryAfterSeconds);
    }
    if (!authentication.ok) {
      // One answer for every cause, so a caller learns nothing about which ids exist.
      throw new OAuthError(
        'invalid_client',
        'Client authentication failed',
        request.authMethod === 'client_secret_basic' ? 401 : 400,
        authentication.reason,
      );
    }
    undoFailure?.();
    const { client } = authentication;
    const grant = grantScopes(request.scopes, client.scopes);
    if ('rejected' in grant) {
      throw new OAuthError(
        'invalid_scope',
        `Scopes not granted to this client: ${grant.rejected.join(' ')}`,
      );
    }
    const claims = accessTokenClaims({
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      clientId: client.clientId,
      tenantId: client.tenantId,
      scopes: grant.granted,
      ttlSeconds: this.settings.tokenTtlSeconds,
      now: this.clock(),
    });
    const { current } = this.settings.keyring;
    const accessToken = signRs256(
      { typ: ACCESS_TOKEN_TYPE, kid: current.kid },
      claims,
      current.privateKey,
    );
    return {
      response: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: this.settings.tokenTtlSeconds,
        scope: claims.scope,
      },
      tenantId: client.tenantId,
      clientId: client.clientId,
    };
  }
}
