import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Event Hub API')
    .setDescription(
      'Publish commands and business events over HTTP. Commands are accepted with 202 and a ' +
        'correlation id; poll GET /status/{correlationId} for the outcome. Errors are RFC 9457 ' +
        'problem details (application/problem+json).',
    )
    .setVersion('0.1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
