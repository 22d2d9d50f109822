import type { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from './decorators';

/**
 * Whether a route needs no token: `@Public()` on its method or controller, or its pattern listed
 * in `publicRoutes`. The one rule both the guard and {@link AuthenticateFirst} apply.
 */
export class PublicRoutes {
  private readonly patterns: Set<string>;

  constructor(
    private readonly reflector: Reflector,
    publicRoutePatterns: string[],
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
