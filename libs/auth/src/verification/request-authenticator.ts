import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import type { AuthMetrics } from '../metrics/auth.metrics';
import type { AuthPrincipal } from '../principal';
import { AuthRejection, AuthUnavailableError, rejectionFrom } from './auth-failure';
import { bearerToken, type JwtTokenStrategy } from './jwt-token.strategy';

const RETRY_AFTER_SECONDS = 5;
const AUTHENTICATED = Symbol('eventHub:auth:authenticated');

/**
 * Checks a request's bearer token from its headers alone, so it can run before the body is read
 * (see {@link AuthenticateFirst}) as well as in the guard. On success the principal is put on the
 * request; on failure the answer's headers are set and the problem to throw is returned.
 */
export class RequestAuthenticator {
  private readonly logger = new Logger(RequestAuthenticator.name);

  constructor(
    private readonly strategy: JwtTokenStrategy,
    private readonly metrics: AuthMetrics,
  ) {}

  /** Authenticates the request, or throws the 401/503 problem to answer with. */
  async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<AuthPrincipal> {
    try {
      const principal = await this.verify(request, reply);
      Object.assign(request, { user: principal, [AUTHENTICATED]: true });
      return principal;
    } catch (error) {
      throw this.problemFor(error, reply);
    }
  }

  /** True once {@link authenticate} accepted this request. */
  static isAuthenticated(request: object): boolean {
    return (request as { [AUTHENTICATED]?: boolean })[AUTHENTICATED] === true;
  }

  private problemFor(error: unknown, reply: FastifyReply): unknown {
    if (error instanceof AuthRejection) {
      this.metrics.failures.inc({ stage: 'request', reason: error.reason });
      void reply.header('www-authenticate', error.challenge);
      return error.toProblem();
    }
    if (error instanceof AuthUnavailableError) {
      this.metrics.failures.inc({ stage: 'request', reason: 'unavailable' });
      this.logger.warn({ err: error.cause ?? error }, error.message);
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return error.toProblem();
    }
    return error;
  }

  private async verify(request: FastifyRequest, reply: FastifyReply): Promise<AuthPrincipal> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new AuthRejection('missing_token');
    if (bearerToken(header) === null) throw new AuthRejection('malformed_header');

    const { error, principal, info } = await new Promise<{
      error: unknown;
      principal: AuthPrincipal | false;
      info: unknown;
    }>((resolve, reject) => {
      // A fresh object per request: passport sets this request's callbacks on it.
      const strategy = Object.create(this.strategy) as JwtTokenStrategy;
      const middleware = passport.authenticate(
        strategy,
        { session: false },
        (err: unknown, user: AuthPrincipal | false, failure: unknown) =>
          resolve({ error: err, principal: user, info: failure }),
      ) as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
      middleware(request, reply, (err) =>
        err ? reject(err) : resolve({ error: undefined, principal: false, info: undefined }),
      );
    });
    if (error) throw error;
    if (principal) return principal;
    if (info instanceof AuthUnavailableError) throw info;
    throw rejectionFrom(info) ?? new AuthRejection('malformed_token');
  }
}
