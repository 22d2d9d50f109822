import type { ApiClientsService } from '../clients/api-clients.service';
import type { AuthSettings } from '../config/auth-settings';
import { OAuthError } from '../oauth/oauth-error';
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

/** The client-credentials grant: authenticates the client, narrows the scopes, signs the token. */
export class TokenIssuer {
  constructor(
    private readonly settings: AuthSettings,
    private readonly clients: ApiClientsService,
    private readonly clock: () => number = Date.now,
  ) {}

  async issue(request: TokenRequest): Promise<IssuedToken> {
    let authentication;
    try {
      authentication = await this.clients.authenticate(request.clientId, request.clientSecret);
    } catch (error) {
      throw new AuthUnavailableError('store', { cause: error });
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
