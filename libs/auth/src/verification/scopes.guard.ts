import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '@event-hub/service-runtime';
import { AuthMetrics } from '../metrics/auth.metrics';
import { missingScopes } from '../scopes/scopes';
import { AUTH_REALM, AuthRejection } from './auth-failure';
import { principalOf, REQUIRED_SCOPES_KEY } from './decorators';

/**
 * Global guard after {@link JwtAuthGuard}: the token must hold every scope `@RequireScopes()` names
 * on the controller and on the method; otherwise 403 `AUTH.INSUFFICIENT_SCOPE` naming them.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly metrics: AuthMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = [
      ...new Set(
        this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, [
          context.getClass(),
          context.getHandler(),
        ]) ?? [],
      ),
    ];
    if (required.length === 0) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const principal = principalOf(request);
    if (!principal) {
      // A route that needs scopes but was left public: refuse rather than serve it to anyone.
      const rejection = new AuthRejection('missing_token');
      void reply.header('www-authenticate', rejection.challenge);
      throw rejection.toProblem();
    }
    const missing = missingScopes(principal.scopes, required);
    if (missing.length === 0) return true;
    this.metrics.failures.inc({ stage: 'request', reason: 'insufficient_scope' });
    void reply.header(
      'www-authenticate',
      `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="${required.join(' ')}"`,
    );
    throw new ProblemException(
      403,
      'AUTH.INSUFFICIENT_SCOPE',
      'Insufficient scope',
      `This route needs the scopes: ${required.join(' ')} (missing: ${missing.join(' ')})`,
      { requiredScopes: required, missingScopes: missing },
    );
  }
}
