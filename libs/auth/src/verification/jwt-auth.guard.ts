import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PublicRoutes } from './public-routes';
import { RequestAuthenticator } from './request-authenticator';

export interface JwtAuthGuardOptions {
  /**
   * Route patterns (as registered, e.g. `/health`) that need no token, for controllers that cannot
   * carry `@Public()` (they belong to a library or to another team).
   */
  publicRoutes: string[];
}

/**
 * Global guard: every HTTP route needs a valid bearer token, unless marked `@Public()` or listed in
 * `publicRoutes`. Failures are 401 problem details with a `WWW-Authenticate: Bearer` challenge.
 * Requests {@link AuthenticateFirst} already authenticated (before their body was read) pass.
 */
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly publicRoutes: PublicRoutes,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.publicRoutes.isPublicHandler(context.getHandler(), context.getClass())) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.publicRoutes.isPublicPattern(request.routeOptions.url)) return true;
    if (RequestAuthenticator.isAuthenticated(request)) return true;
    await this.authenticator.authenticate(
      request,
      context.switchToHttp().getResponse<FastifyReply>(),
    );
    return true;
  }
}
