import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from './decorators';

/** Injection token of the route patterns (as registered, e.g. `/health`) that need no token. */
export const PUBLIC_ROUTE_PATTERNS = Symbol('PUBLIC_ROUTE_PATTERNS');

/**
 * Whether a route needs no token: `@Public()` on its method or controller, or its pattern listed
 * in {@link PUBLIC_ROUTE_PATTERNS} (for controllers that cannot carry `@Public()`: they belong to a
 * library or to another team). The one rule both the guard and {@link AuthenticateFirst} apply.
 */
@Injectable()
export class PublicRoutes {
  private readonly patterns: Set<string>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(PUBLIC_ROUTE_PATTERNS) publicRoutePatterns: string[],
  ) {
    this.patterns = new Set(publicRoutePatterns);
  }

  // A registered pattern, not the raw URL: `/health/../admin` cannot pass for `/health`.
  isPublicPattern(pattern: string | undefined): boolean {
    return pattern !== undefined && this.patterns.has(pattern);
  }

  isPublicHandler(handler: object, controller: object): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
        handler as () => unknown,
        controller as () => unknown,
      ]) === true
    );
  }
}
