import type { DocumentBuilder, OpenAPIObject } from '@nestjs/swagger';
import { DEFAULT_PUBLIC_ROUTES } from '../auth-core.module';
import { ALL_SCOPES, SCOPE_DESCRIPTIONS } from '../scopes/scopes';
import {
  BEARER_SCHEME,
  OAUTH2_SCHEME,
  PUBLIC_OPERATION_EXTENSION,
} from '../verification/decorators';

export const TOKEN_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Adds the two ways Swagger UI's Authorize button can get a token: pasting one (bearer), or the
 * OAuth2 client-credentials flow against our token endpoint with a client id, secret and scopes.
 * Every operation requires one of them unless {@link markPublicOperations} clears it. A service
 * that issues no tokens (the monitor) passes the gateway's absolute token URL.
 */
export function configureSwaggerAuth(
  builder: DocumentBuilder,
  tokenUrl: string = TOKEN_PATH,
): DocumentBuilder {
  return builder
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'An access token from POST /oauth/token',
      },
      BEARER_SCHEME,
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'OAuth2 client credentials: an API client id and secret (admin CLI or /admin)',
        flows: {
          clientCredentials: {
            tokenUrl,
            scopes: Object.fromEntries(ALL_SCOPES.map((s) => [s, SCOPE_DESCRIPTIONS[s]])),
          },
        },
      },
      OAUTH2_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
    .addSecurityRequirements(OAUTH2_SCHEME);
}

/**
 * Clears the security requirement of operations that need no token: those marked `@Public()` and
 * those on `publicPaths` (controllers of other modules, e.g. /health and /metrics). Call it on
 * the document from `SwaggerModule.createDocument` before `SwaggerModule.setup`.
 */
export function markPublicOperations(
  document: OpenAPIObject,
  publicPaths: readonly string[] = DEFAULT_PUBLIC_ROUTES,
): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) {
        continue;
      }
      const op = operation as { security?: unknown[]; [key: string]: unknown };
      if (op[PUBLIC_OPERATION_EXTENSION] === true || publicPaths.includes(path)) {
        op.security = [];
      }
    }
  }
  return document;
}
