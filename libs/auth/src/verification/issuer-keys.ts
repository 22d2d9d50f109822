import type { KeyObject } from 'node:crypto';
import { JwksClient, JwksRateLimitError, SigningKeyNotFoundError } from 'jwks-rsa';
import type { TokenVerifierSettings } from '../config/verifier-settings';
import { SIGNING_ALGORITHM } from '../keys/signing-keys';
import { ACCESS_TOKEN_TYPE } from '../tokens/access-token';
import { decodeUnverified } from '../tokens/jwt';
import { AuthRejection, AuthUnavailableError } from './auth-failure';

/**
 * Picks the key a token must verify with, by its issuer: ours (current or previous key, by `kid`,
 * from the keyring or from the gateway's JWKS), or the external identity provider's JWKS. Nothing in the token is trusted yet:
 * the algorithm is pinned per issuer here, and jsonwebtoken checks it again, so `alg: none` and
 * HS256 signed with our public key as an HMAC secret are refused before any key is handed out.
 */
export class IssuerKeys {
  /**
   * Key objects, not PEM: jsonwebtoken parses a PEM string on every verification, which showed in
   * the gateway's CPU profile under load.
   */
  private readonly localKeys: Map<string, KeyObject>;
  private readonly localJwks?: JwksClient;
  private readonly jwks?: JwksClient;

  constructor(private readonly settings: TokenVerifierSettings) {
    const local = settings.localKeys;
    this.localKeys = new Map(
      'keys' in local ? local.keys.map((key) => [key.kid, key.publicKey]) : [],
    );
    if ('jwksUrl' in local) this.localJwks = jwksClient(local.jwksUrl);
    if (settings.external) this.jwks = jwksClient(settings.external.jwksUrl);
  }

  /** Every algorithm some issuer may use (each issuer's own list is enforced in {@link resolve}). */
  get algorithms(): string[] {
    return [...new Set([SIGNING_ALGORITHM, ...(this.settings.external?.algorithms ?? [])])];
  }

  get issuers(): string[] {
    const external = this.settings.external;
    return external ? [this.settings.issuer, external.issuer] : [this.settings.issuer];
  }

  get audiences(): string[] {
    const external = this.settings.external;
    return external ? [this.settings.audience, external.audience] : [this.settings.audience];
  }

  async resolve(rawToken: string): Promise<string | KeyObject> {
    const decoded = decodeUnverified(rawToken);
    if (!decoded) throw new AuthRejection('malformed_token');
    const { header, payload } = decoded;
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const issuer = payload['iss'];

    if (issuer === this.settings.issuer) {
      if (header.alg !== SIGNING_ALGORITHM) throw new AuthRejection('bad_algorithm');
      if (header.typ !== ACCESS_TOKEN_TYPE) throw new AuthRejection('invalid_claims');
      if (kid === undefined) throw new AuthRejection('unknown_key');
      if (this.localJwks) return publicKeyFrom(this.localJwks, kid);
      const key = this.localKeys.get(kid);
      if (!key) throw new AuthRejection('unknown_key');
      return key;
    }

    const external = this.settings.external;
    if (external && this.jwks && issuer === external.issuer) {
      if (!(external.algorithms as string[]).includes(header.alg)) {
        throw new AuthRejection('bad_algorithm');
      }
      return publicKeyFrom(this.jwks, kid);
    }

    throw new AuthRejection('wrong_issuer');
  }
}

function jwksClient(jwksUri: string): JwksClient {
  return new JwksClient({
    jwksUri,
    cache: true,
    cacheMaxAge: 10 * 60 * 1000,
    // Tokens with unknown kids make the client refetch; bound how often a caller can cause it.
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: 5000,
  });
}

async function publicKeyFrom(jwks: JwksClient, kid: string | undefined): Promise<string> {
  try {
    const key = await jwks.getSigningKey(kid);
    return key.getPublicKey();
  } catch (error) {
    if (error instanceof SigningKeyNotFoundError || error instanceof JwksRateLimitError) {
      throw new AuthRejection('unknown_key');
    }
    throw new AuthUnavailableError('identity_provider', { cause: error });
  }
}
