import { ProblemException } from '@event-hub/service-runtime';

/** Why a request was not authenticated; the label of the failure metric. */
export type AuthFailureReason =
  | 'missing_token'
  | 'malformed_header'
  | 'malformed_token'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'bad_algorithm'
  | 'unknown_key'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'unknown_client'
  | 'revoked_client'
  | 'revoked_token'
  | 'unknown_tenant'
  | 'disabled_tenant';

/**
 * The answer to each reason. Several reasons share `AUTH.INVALID_TOKEN`: a caller can only fix
 * those by getting a new token, and telling them apart would help nobody but a forger.
 */
const FAILURES: Record<AuthFailureReason, { code: string; detail: string }> = {
  missing_token: {
    code: 'AUTH.MISSING_TOKEN',
    detail: 'This route needs an access token: Authorization: Bearer <token> (POST /oauth/token)',
  },
  malformed_header: {
    code: 'AUTH.MALFORMED_AUTHORIZATION',
    detail: 'The Authorization header must be "Bearer <token>"',
  },
  malformed_token: { code: 'AUTH.INVALID_TOKEN', detail: 'The access token is not a valid JWT' },
  expired: { code: 'AUTH.TOKEN_EXPIRED', detail: 'The access token has expired' },
  not_yet_valid: { code: 'AUTH.TOKEN_NOT_YET_VALID', detail: 'The access token is not valid yet' },
  bad_signature: { code: 'AUTH.INVALID_TOKEN', detail: 'The access token signature is invalid' },
  bad_algorithm: {
    code: 'AUTH.INVALID_TOKEN',
    detail: 'The access token is not signed with an accepted algorithm',
  },
  unknown_key: { code: 'AUTH.INVALID_TOKEN', detail: 'The access token names an unknown key' },
  wrong_issuer: { code: 'AUTH.INVALID_TOKEN', detail: 'The access token issuer is not accepted' },
  wrong_audience: {
    code: 'AUTH.INVALID_TOKEN',
    detail: 'The access token is not meant for this API (audience)',
  },
  invalid_claims: {
    code: 'AUTH.INVALID_TOKEN',
    detail: 'The access token lacks required claims',
  },
  unknown_client: {
    code: 'AUTH.UNKNOWN_CLIENT',
    detail: 'The access token was issued to an unknown client',
  },
  revoked_client: {
    code: 'AUTH.CLIENT_REVOKED',
    detail: 'The API client of this access token was revoked',
  },
  revoked_token: {
    code: 'AUTH.TOKEN_REVOKED',
    detail: 'The access token was issued before its client secret was rotated; get a new one',
  },
  unknown_tenant: {
    code: 'AUTH.UNKNOWN_TENANT',
    detail: 'The access token names an unknown tenant',
  },
  disabled_tenant: {
    code: 'AUTH.TENANT_DISABLED',
    detail: 'The tenant of this access token is disabled',
  },
};

export const AUTH_REALM = 'event-hub';

/** A request that did not authenticate: answered 401 with a Bearer challenge (RFC 6750 §3). */
export class AuthRejection extends Error {
  constructor(readonly reason: AuthFailureReason) {
    super(FAILURES[reason].detail);
    this.name = 'AuthRejection';
  }

  get code(): string {
    return FAILURES[this.reason].code;
  }

  /** RFC 6750 §3.1: no error code when the request carried no credentials at all. */
  get challenge(): string {
    if (this.reason === 'missing_token') return `Bearer realm="${AUTH_REALM}"`;
    return `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${this.message.replace(/"/g, "'")}"`;
  }

  toProblem(): ProblemException {
    return new ProblemException(401, this.code, 'Unauthorized', this.message);
  }
}

/** A token could not be checked because a dependency (Postgres, the identity provider) failed. */
export class AuthUnavailableError extends Error {
  constructor(
    readonly dependency: 'store' | 'identity_provider',
    options?: { cause?: unknown },
  ) {
    super(
      dependency === 'store'
        ? 'The client registry (Postgres) is unavailable; the token could not be checked'
        : 'The identity provider keys (JWKS) are unavailable; the token could not be checked',
      options,
    );
    this.name = 'AuthUnavailableError';
  }

  toProblem(): ProblemException {
    return new ProblemException(
      503,
      'AUTH.UNAVAILABLE',
      'Authentication unavailable',
      this.message,
    );
  }
}

/**
 * Maps what passport-jwt reports (jsonwebtoken's errors, or ours from the key provider) to a reason.
 * jsonwebtoken tells its errors apart by name and message only.
 */
export function rejectionFrom(info: unknown): AuthRejection | undefined {
  if (info instanceof AuthRejection) return info;
  if (!(info instanceof Error)) return undefined;
  if (info.name === 'TokenExpiredError') return new AuthRejection('expired');
  if (info.name === 'NotBeforeError') return new AuthRejection('not_yet_valid');
  if (info.name !== 'JsonWebTokenError') return undefined;
  const message = info.message;
  if (message === 'invalid signature') return new AuthRejection('bad_signature');
  if (message.startsWith('jwt issuer invalid')) return new AuthRejection('wrong_issuer');
  if (message.startsWith('jwt audience invalid')) return new AuthRejection('wrong_audience');
  if (message === 'invalid algorithm' || message === 'jwt signature is required') {
    return new AuthRejection('bad_algorithm');
  }
  return new AuthRejection('malformed_token');
}
