import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOAuth2, ApiResponse } from '@nestjs/swagger';
import type { AuthPrincipal } from '../principal';
import type { Scope } from '../scopes/scopes';

export const IS_PUBLIC_KEY = 'eventHub:auth:public';
export const REQUIRED_SCOPES_KEY = 'eventHub:auth:scopes';
/** OpenAPI extension marking an operation that needs no token (see `markPublicOperations`). */
export const PUBLIC_OPERATION_EXTENSION = 'x-public';
export const BEARER_SCHEME = 'bearer';
export const OAUTH2_SCHEME = 'oauth2';

/** The route (or every route of the controller) needs no token. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(IS_PUBLIC_KEY, true),
    ApiExtension(PUBLIC_OPERATION_EXTENSION, true) as MethodDecorator & ClassDecorator,
  );
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
};

/**
 * The caller's token must hold every one of `scopes` (on a controller and a method, both lists
 * apply). Also documents the route's security and its 401/403 answers in OpenAPI.
 */
export function RequireScopes(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES_KEY, scopes),
    ApiBearerAuth(BEARER_SCHEME),
    ApiOAuth2(scopes, OAUTH2_SCHEME),
    ApiResponse({
      status: 401,
      description: 'No token, or a token that is invalid, expired, revoked or not for this API',
      content: {
        'application/problem+json': {
          schema: problemSchema,
          example: {
            type: 'https://event-hub.dev/problems/auth-token-expired',
            title: 'Unauthorized',
            status: 401,
            code: 'AUTH.TOKEN_EXPIRED',
            detail: 'The access token has expired',
          },
        },
      },
    }),
    ApiResponse({
      status: 403,
      description: `The token lacks a required scope (${scopes.join(', ')})`,
      content: {
        'application/problem+json': {
          schema: problemSchema,
          example: {
            type: 'https://event-hub.dev/problems/auth-insufficient-scope',
            title: 'Insufficient scope',
            status: 403,
            code: 'AUTH.INSUFFICIENT_SCOPE',
            detail: `This route needs the scopes: ${scopes.join(' ')}`,
            requiredScopes: scopes,
          },
        },
      },
    }),
  );
}

/** The authenticated caller. Only on protected routes: on a `@Public()` route it is a bug. */
export const Principal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthPrincipal => {
    const principal = principalOf(context.switchToHttp().getRequest<object>());
    if (!principal) {
      throw new Error('@Principal() used on a route without authentication (is it @Public()?)');
    }
    return principal;
  },
);

/** The principal the guard put on the request, if any. */
export function principalOf(request: object): AuthPrincipal | undefined {
  return (request as { user?: AuthPrincipal }).user;
}
