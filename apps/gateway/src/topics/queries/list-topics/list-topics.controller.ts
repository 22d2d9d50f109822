import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { TopicListView } from '../../shared/topic.views';
import { ListTopicsQuery } from './list-topics.query';

@ApiTags('topics')
@Controller('topics')
export class ListTopicsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @RequireScopes(SCOPES.topicsAdmin)
  @ApiOperation({ summary: 'The caller’s tenant topics, by name' })
  @ApiOkResponse({ type: TopicListView })
  list(@Principal() caller: AuthPrincipal): Promise<TopicListView> {
    return this.queries.execute(new ListTopicsQuery(caller.tenantId));
  }
}
