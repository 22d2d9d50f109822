import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { stringify } from 'yaml';
import { buildAsyncApiDocument, type AsyncApiDocument } from '@event-hub/contracts';
import { Public } from '@event-hub/auth';
import { renderAsyncApiPage } from './asyncapi-page';

/**
 * The AsyncAPI 3 description of the topics, the `pix` exchange and the event schemas, public like
 * Swagger UI: what a client may consume is no secret, and integrators read it before they hold a
 * token. Built once from libs/contracts (docs/asyncapi.* is the checked-in copy of the same).
 */
@ApiExcludeController()
@Public()
@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();
  private readonly yaml = stringify(this.document, {
    aliasDuplicateObjects: false,
    lineWidth: 100,
  });
  private readonly page = renderAsyncApiPage(this.document);

  @Get('asyncapi')
  json(): AsyncApiDocument {
    return this.document;
  }

  @Get('asyncapi.yaml')
  @Header('content-type', 'application/yaml; charset=utf-8')
  yamlDocument(): string {
    return this.yaml;
  }

  @Get('asyncapi/docs')
  @Header('content-type', 'text/html; charset=utf-8')
  html(): string {
    return this.page;
  }
}
