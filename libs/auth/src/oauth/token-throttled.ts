import { ProblemException } from '@event-hub/service-runtime';

/**
 * Too many failed token requests from this client id or address: refused before the secret is
 * hashed. Answered 429 with Retry-After as problem details that also carry RFC 6749's
 * `error`/`error_description` members, so an OAuth client reading either shape understands it.
 */
export class TokenRequestThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed token requests; retry in ${retryAfterSeconds} s`);
    this.name = 'TokenRequestThrottledError';
  }

  toProblem(): ProblemException {
    return new ProblemException(
      429,
      'AUTH.TOO_MANY_FAILED_ATTEMPTS',
      'Too many failed token requests',
      this.message,
      { error: 'too_many_attempts', error_description: this.message },
    );
  }
}
