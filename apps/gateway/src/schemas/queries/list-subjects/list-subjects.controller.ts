import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, type AuthPrincipal } from '@event-hub/auth';
import { SubjectListView } from '../../shared/schema.views';
import { ListSubjectsQuery } from './list-subjects.query';

@ApiTags('schemas')
@Controller('schemas')
export class ListSubjectsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "The caller's schema subjects (any token of the tenant)" })
  @ApiOkResponse({ type: SubjectListView })
  list(@Principal() caller: AuthPrincipal): Promise<SubjectListView> {
    return this.queries.execute(new ListSubjectsQuery(caller.tenantId));
  }
}
