import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { configureSwaggerAuth, markPublicOperations, TOKEN_PATH } from '@event-hub/auth';
import type { MonitorEnvironment } from '../config/monitor.environment';

export interface MonitorDocsOptions {
  /**
   * Where Swagger UI's client-credentials flow gets a token: the gateway's token endpoint (the
   * monitor issues none). Absolute, since the gateway is another origin.
   */
  tokenUrl?: string;
}

/** The monitor's OpenAPI document. */
export function monitorOpenApiDocument(
  app: INestApplication,
  options: MonitorDocsOptions = {},
): OpenAPIObject {
  const config = configureSwaggerAuth(new DocumentBuilder(), options.tokenUrl ?? TOKEN_PATH)
    .setTitle('Event Hub Monitor')
    .setDescription(
      'Every record of every Kafka topic, indexed in Elasticsearch (daily indices ' +
        '`event-hub-logs-YYYY.MM.DD` named from the record time, plus `event-hub-logs-deadletter` ' +
        'for documents Elasticsearch rejected). Search them, or follow one flow by its correlation ' +
        'id. While Elasticsearch is down records spill to local files and are replayed later; ' +
        '/health shows that state. Errors are RFC 9457 problem details (application/problem+json). ' +
        'Search needs a gateway access token with the `logs:read` scope (Authorize: paste one, ' +
        'or use the client-credentials flow against the gateway). A tenant sees its own records; ' +
        'operators (`admin`) see all. Personal data is returned masked.',
    )
    .setVersion('0.1.0')
    .build();
  return markPublicOperations(SwaggerModule.createDocument(app, config));
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = app.get<ConfigService<MonitorEnvironment, true>>(ConfigService);
  const document = monitorOpenApiDocument(app, { tokenUrl: config.get('MONITOR_DOCS_TOKEN_URL') });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    // As the gateway's: the token survives page reloads.
    swaggerOptions: { persistAuthorization: true },
  });
}
