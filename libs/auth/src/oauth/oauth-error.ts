/** The error codes of RFC 6749 §5.2 that the client-credentials grant can answer. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unauthorized_client';

export const BASIC_CHALLENGE = 'Basic realm="event-hub", charset="UTF-8"';

/**
 * A refused token request, answered as `{error, error_description}` (not problem details: OAuth
 * clients parse this shape). `invalid_client` is a 401 with a Basic challenge when the client
 * tried HTTP Basic or sent no credentials at all (RFC 6749 §5.2), a 400 otherwise.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 = 400,
    /** Finer than `error`, for the failure metric; never sent to the client. */
    readonly reason: string = error,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  get challenge(): string | undefined {
    return this.status === 401 ? BASIC_CHALLENGE : undefined;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
