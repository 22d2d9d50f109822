import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { TopicNameParams } from '../../shared/topic-name.params';
import { TopicView } from '../../shared/topic.views';
import { UpdateTopicCommand } from './update-topic.command';
import { UpdateTopicDto } from './update-topic.dto';

@ApiTags('topics')
@Controller('topics')
export class UpdateTopicController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':name')
  @RequireScopes(SCOPES.topicsAdmin)
  @ApiOperation({
    summary: 'Change the retention of a topic or bind/unbind its value schema subject',
    description: 'Only the fields sent change; valueSubject null unbinds the subject.',
  })
  @ApiOkResponse({ type: TopicView })
  @ApiProblemResponse(404, 'The tenant has no such topic', {
    notFound: problemExample(
      404,
      'TOPIC.NOT_FOUND',
      'Topic not found',
      'No topic named "orders"',
      '/topics/orders',
    ),
  })
  @ApiProblemResponse(422, 'Beyond a tenant limit', {
    retention: problemExample(
      422,
      'TOPIC.LIMIT_EXCEEDED',
      'Tenant topic limit exceeded',
      'retentionMs is 999999999999; this tenant may keep records at most 604800000 ms',
      '/topics/orders',
      { field: 'retentionMs', limit: 'maxRetentionMs', max: 604800000 },
    ),
  })
  @ApiProblemResponse(
    503,
    'Kafka did not change the retention; nothing changed',
    {
      kafka: problemExample(
        503,
        'TOPIC.KAFKA_UNAVAILABLE',
        'Kafka did not complete the topic change',
        'Kafka did not change the retention: Connection timeout; retry the same request',
        '/topics/orders',
      ),
    },
    { retryAfter: true },
  )
  update(
    @Param() params: TopicNameParams,
    @Body() body: UpdateTopicDto,
    @Principal() caller: AuthPrincipal,
  ): Promise<TopicView> {
    const changes: { retentionMs?: number; valueSubject?: string | null } = {};
    if (body.retentionMs !== undefined) changes.retentionMs = body.retentionMs;
    if (body.valueSubject !== undefined) changes.valueSubject = body.valueSubject;
    return this.commands.execute(new UpdateTopicCommand(caller.tenantId, params.name, changes));
  }
}
