import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { TopicNameParams } from '../../shared/topic-name.params';
import { TopicView } from '../../shared/topic.views';
import { GetTopicQuery } from './get-topic.query';

@ApiTags('topics')
@Controller('topics')
export class GetTopicController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':name')
  @RequireScopes(SCOPES.topicsAdmin)
  @ApiOperation({ summary: 'One topic of the caller’s tenant' })
  @ApiOkResponse({ type: TopicView })
  @ApiProblemResponse(
    404,
    'The tenant has no such topic (also for other tenants’ and internal topics)',
    {
      notFound: problemExample(
        404,
        'TOPIC.NOT_FOUND',
        'Topic not found',
        'No topic named "orders"',
        '/topics/orders',
      ),
    },
  )
  get(@Param() params: TopicNameParams, @Principal() caller: AuthPrincipal): Promise<TopicView> {
    return this.queries.execute(new GetTopicQuery(caller.tenantId, params.name));
  }
}
