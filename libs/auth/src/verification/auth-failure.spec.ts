import { AuthRejection, rejectionFrom } from './auth-failure';

function jwtError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('authentication failures', () => {
  it.each([
    [jwtError('TokenExpiredError', 'jwt expired'), 'expired', 'AUTH.TOKEN_EXPIRED'],
    [jwtError('NotBeforeError', 'jwt not active'), 'not_yet_valid', 'AUTH.TOKEN_NOT_YET_VALID'],
    [jwtError('JsonWebTokenError', 'invalid signature'), 'bad_signature', 'AUTH.INVALID_TOKEN'],
    [jwtError('JsonWebTokenError', 'invalid algorithm'), 'bad_algorithm', 'AUTH.INVALID_TOKEN'],
    [
      jwtError('JsonWebTokenError', 'jwt signature is required'),
      'bad_algorithm',
      'AUTH.INVALID_TOKEN',
    ],
    [
      jwtError('JsonWebTokenError', 'jwt issuer invalid. expected: x'),
      'wrong_issuer',
      'AUTH.INVALID_TOKEN',
    ],
    [
      jwtError('JsonWebTokenError', 'jwt audience invalid. expected: x'),
      'wrong_audience',
      'AUTH.INVALID_TOKEN',
    ],
    [jwtError('JsonWebTokenError', 'jwt malformed'), 'malformed_token', 'AUTH.INVALID_TOKEN'],
  ])('maps jsonwebtoken\'s "%s"', (error, reason, code) => {
    const rejection = rejectionFrom(error);
    expect(rejection?.reason).toBe(reason);
    expect(rejection?.code).toBe(code);
  });

  it('does not mistake other errors for token problems', () => {
    expect(rejectionFrom(new Error('connection refused'))).toBeUndefined();
    expect(rejectionFrom('text')).toBeUndefined();
  });

  it('challenges with Bearer, and names invalid_token only when a token was sent (RFC 6750 §3.1)', () => {
    expect(new AuthRejection('missing_token').challenge).toBe('Bearer realm="event-hub"');
    expect(new AuthRejection('expired').challenge).toMatch(
      /^Bearer realm="event-hub", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(new AuthRejection('revoked_client').toProblem().problem).toMatchObject({
      status: 401,
      code: 'AUTH.CLIENT_REVOKED',
    });
  });
});
