import { Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import type { AuthMetrics } from '../metrics/auth.metrics';
import type { AuthPrincipal } from '../principal';
import { AuthRejection, AuthUnavailableError, rejectionFrom } from './auth-failure';
import { IS_PUBLIC_KEY } from './decorators';
import { bearerToken, type JwtTokenStrategy } from './jwt-token.strategy';

export interface JwtAuthGuardOptions {
  /**
   * Route patterns (as registered, e.g. `/health`) that need no token, for controllers that cannot
   * carry `@Public()` (they belong to a library or to another team).
   */
  publicRoutes: string[];
}

const RETRY_AFTER_SECONDS = 5;

/**
 * Global guard: every HTTP route needs a valid bearer token, unless marked `@Public()` or listed in
 * `publicRoutes`. Failures are 401 problem details with a `WWW-Authenticate: Bearer` challenge.
 */
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger(JwtAuthGuard.name);
  private readonly publicRoutes: Set<string>;

  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: JwtTokenStrategy,
    private readonly metrics: AuthMetrics,
    options: JwtAuthGuardOptions,
  ) {
    this.publicRoutes = new Set(options.publicRoutes);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // The registered pattern, not the raw URL: `/health/../admin` cannot pass for `/health`.
    if (this.publicRoutes.has(request.routeOptions.url ?? '')) return true;

    try {
      const principal = await this.authenticate(request, reply);
      (request as { user?: AuthPrincipal }).user = principal;
      return true;
    } catch (error) {
      if (error instanceof AuthRejection) {
        this.metrics.failures.inc({ stage: 'request', reason: error.reason });
        void reply.header('www-authenticate', error.challenge);
        throw error.toProblem();
      }
      if (error instanceof AuthUnavailableError) {
        this.metrics.failures.inc({ stage: 'request', reason: 'unavailable' });
        this.logger.warn({ err: error.cause ?? error }, error.message);
        void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        throw error.toProblem();
      }
      throw error;
    }
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<AuthPrincipal> {
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
