import { Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { AuthMetrics } from '../metrics/auth.metrics';
import type { AuthPrincipal } from '../principal';
import { AuthRejection, AuthUnavailableError, rejectionFrom } from './auth-failure';
import {
  JWT_STRATEGY,
  JwtTokenStrategy,
  rememberVerifiedPrincipal,
  verifiedPrincipalOf,
} from './jwt-token.strategy';
import { PublicRoutes } from './public-routes';

const RETRY_AFTER_SECONDS = 5;

/**
 * Global guard: every HTTP route needs a valid bearer token, unless marked `@Public()` or listed in
 * the public route patterns. Failures are 401 problem details with a `WWW-Authenticate: Bearer`
 * challenge (503 with `Retry-After` when the token cannot be checked). On success the principal
 * is `request.user`, read with `@Principal()`.
 *
 * {@link AuthenticateFirst} runs the same check through {@link authenticateBeforeBody} before a
 * body is read; the strategy then accepts that request's principal without verifying it again.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly logger = new Logger(JwtAuthGuard.name);

  constructor(
    private readonly publicRoutes: PublicRoutes,
    private readonly strategy: JwtTokenStrategy,
    private readonly metrics: AuthMetrics,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.publicRoutes.isPublicHandler(context.getHandler(), context.getClass())) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.publicRoutes.isPublicPattern(request.routeOptions.url)) return true;
    // The onRequest hook already verified this request's token and set `request.user`: running
    // passport again (a per-request authenticate closure and its promise) would only re-read it.
    if (verifiedPrincipalOf(request)) return true;
    return (await super.canActivate(context)) as boolean;
  }

  /**
   * Authenticates a request outside Nest's pipeline (a Fastify hook), with this app's own strategy:
   * passport looks strategies up by name per process, and a test process runs several apps.
   * Resolves with the principal, or rejects with the problem to answer.
   */
  async authenticateBeforeBody(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<AuthPrincipal> {
    const context = new ExecutionContextHost([request, reply]);
    const principal = await new Promise<AuthPrincipal>((resolve, reject) => {
      // passport binds this request's success/fail callbacks to the object it is given.
      const strategy = Object.create(this.strategy) as JwtTokenStrategy;
      const authenticate = passport.authenticate(
        strategy,
        { session: false },
        (error: unknown, user: AuthPrincipal | false, info: unknown) => {
          try {
            resolve(this.handleRequest(error, user, info, context));
          } catch (problem) {
            reject(problem);
          }
        },
      ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      authenticate(request, reply, (error) => reject(error ?? new Error('passport passed on')));
    });
    rememberVerifiedPrincipal(request, principal);
    Object.assign(request, { user: principal });
    return principal;
  }

  /** Turns passport's outcome into the principal, or the problem details to answer with. */
  override handleRequest<TUser = AuthPrincipal>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (!error && user) return user;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const failure = error ?? info;
    if (failure instanceof AuthUnavailableError) {
      this.metrics.failures.inc({ stage: 'request', reason: 'unavailable' });
      this.logger.warn({ err: failure.cause ?? failure }, failure.message);
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      throw failure.toProblem();
    }
    // An error that is no token problem (a bug, a failing dependency we did not wrap) stays a 500.
    if (error && !(error instanceof AuthRejection)) throw error;
    const rejection = rejectionFrom(failure) ?? new AuthRejection('malformed_token');
    this.metrics.failures.inc({ stage: 'request', reason: rejection.reason });
    void reply.header('www-authenticate', rejection.challenge);
    throw rejection.toProblem();
  }
}
