import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { VersionListView } from '../../shared/schema.views';
import { SubjectParams } from '../../shared/subject.params';
import { ListVersionsQuery } from './list-versions.query';

@ApiTags('schemas')
@Controller('schemas')
export class ListVersionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':subject/versions')
  @ApiOperation({ summary: "The version numbers of one of the caller's subjects" })
  @ApiOkResponse({ type: VersionListView })
  @ApiProblemResponse(404, 'The tenant has no such subject (also for other tenants’ subjects)', {
    notFound: problemExample(
      404,
      'SCHEMA.SUBJECT_NOT_FOUND',
      'Schema subject not found',
      'No schema subject named "orders-value"',
      '/schemas/orders-value/versions',
    ),
  })
  list(
    @Param() params: SubjectParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<VersionListView> {
    return this.queries.execute(new ListVersionsQuery(caller.tenantId, params.subject));
  }
}
