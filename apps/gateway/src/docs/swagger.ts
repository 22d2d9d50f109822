import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { configureSwaggerAuth, markPublicOperations } from '@event-hub/auth';

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = configureSwaggerAuth(new DocumentBuilder())
    .setTitle('Event Hub API')
    .setDescription(
      'Publish commands and business events over HTTP. Commands are accepted with 202 and a ' +
        'correlation id; poll GET /status/{correlationId} for the outcome. Errors are RFC 9457 ' +
        'problem details (application/problem+json). Every route but health, metrics, the token ' +
        'endpoint and the JWKS needs a bearer token: get one with Authorize (OAuth2 client ' +
        'credentials) or from POST /oauth/token; without a valid one a request is 401 before its ' +
        'body is read. Requests refused before any route runs (malformed JSON, JSON nested ' +
        'deeper than HTTP_MAX_JSON_DEPTH (64) levels, invalid UTF-8, an unknown route or method, ' +
        'a body too large or not JSON) carry a REQUEST.* code such as REQUEST.TOO_DEEP. The Kafka ' +
        'topics, the RabbitMQ exchange and the event schemas are described in AsyncAPI 3: ' +
        '[/asyncapi/docs](/asyncapi/docs) (page), [/asyncapi](/asyncapi) (JSON), ' +
        '[/asyncapi.yaml](/asyncapi.yaml).',
    )
    .setVersion('0.1.0')
    .build();
  const document = markPublicOperations(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    // Keeps the token across page reloads, so trying routes does not mean re-authorizing.
    swaggerOptions: { persistAuthorization: true },
  });
}
