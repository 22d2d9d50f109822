import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { TopicNameParams } from '../../shared/topic-name.params';
import { DeleteTopicCommand } from './delete-topic.command';

@ApiTags('topics')
@Controller('topics')
export class DeleteTopicController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':name')
  @HttpCode(204)
  @RequireScopes(SCOPES.topicsAdmin)
  @ApiOperation({ summary: 'Delete a topic of the caller’s tenant and its records' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponse(404, 'The tenant has no such topic', {
    notFound: problemExample(
      404,
      'TOPIC.NOT_FOUND',
      'Topic not found',
      'No topic named "orders"',
      '/topics/orders',
    ),
  })
  @ApiProblemResponse(
    503,
    'Kafka did not delete the topic; it is still there, send the same request again',
    {
      kafka: problemExample(
        503,
        'TOPIC.KAFKA_UNAVAILABLE',
        'Kafka did not complete the topic change',
        'Kafka did not delete the topic: Connection timeout; retry the same request',
        '/topics/orders',
      ),
    },
    { retryAfter: true },
  )
  async delete(
    @Param() params: TopicNameParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<void> {
    await this.commands.execute(new DeleteTopicCommand(caller.tenantId, params.name));
  }
}
