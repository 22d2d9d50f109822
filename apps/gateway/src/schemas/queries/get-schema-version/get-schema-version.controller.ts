import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { SchemaVersionView } from '../../shared/schema.views';
import { SubjectVersionParams } from '../../shared/subject.params';
import { GetSchemaVersionQuery } from './get-schema-version.query';

@ApiTags('schemas')
@Controller('schemas')
export class GetSchemaVersionController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':subject/versions/:version')
  @ApiOperation({
    summary: 'One version of a subject, or its latest (`/versions/latest`)',
  })
  @ApiOkResponse({ type: SchemaVersionView })
  @ApiProblemResponse(404, 'No such subject (also for other tenants’ subjects) or version', {
    subject: problemExample(
      404,
      'SCHEMA.SUBJECT_NOT_FOUND',
      'Schema subject not found',
      'No schema subject named "orders-value"',
      '/schemas/orders-value/versions/latest',
    ),
    version: problemExample(
      404,
      'SCHEMA.VERSION_NOT_FOUND',
      'Schema version not found',
      'Subject "orders-value" has no version 7',
      '/schemas/orders-value/versions/7',
    ),
  })
  get(
    @Param() params: SubjectVersionParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<SchemaVersionView> {
    return this.queries.execute(
      new GetSchemaVersionQuery(caller.tenantId, params.subject, params.version),
    );
  }
}
