import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The monitor's OpenAPI document. */
export function monitorOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Event Hub Monitor')
    .setDescription(
      'Every record of every Kafka topic, indexed in Elasticsearch (daily indices ' +
        '`event-hub-logs-YYYY.MM.DD` named from the record time, plus `event-hub-logs-deadletter` ' +
        'for documents Elasticsearch rejected). Search them, or follow one flow by its correlation ' +
        'id. While Elasticsearch is down records spill to local files and are replayed later; ' +
        '/health shows that state. Errors are RFC 9457 problem details (application/problem+json).',
    )
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, monitorOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
