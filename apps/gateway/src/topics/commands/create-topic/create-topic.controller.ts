import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { TopicView } from '../../shared/topic.views';
import { CreateTopicCommand } from './create-topic.command';
import { CreateTopicDto } from './create-topic.dto';

@ApiTags('topics')
@Controller('topics')
export class CreateTopicController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @RequireScopes(SCOPES.topicsAdmin)
  @ApiOperation({
    summary: "Create a topic in the caller's tenant",
    description:
      'Bounded by the tenant limits maxTopics, maxPartitionsPerTopic and maxRetentionMs. ' +
      'A request that failed with 503 may be sent again as it is.',
  })
  @ApiCreatedResponse({ type: TopicView })
  @ApiProblemResponse(400, 'A field is missing or invalid', {
    validation: problemExample(
      400,
      'VALIDATION_FAILED',
      'Request validation failed',
      'Invalid: body.name',
      '/topics',
      {
        errors: [
          {
            field: 'body.name',
            message:
              'name must be dot-separated segments of lowercase letters, digits and inner hyphens',
          },
        ],
      },
    ),
  })
  @ApiProblemResponse(409, 'The tenant already has a topic of this name', {
    exists: problemExample(
      409,
      'TOPIC.ALREADY_EXISTS',
      'Topic already exists',
      'A topic named "orders" already exists',
      '/topics',
    ),
  })
  @ApiProblemResponse(422, 'Beyond a tenant limit (the problem names the field and the limit)', {
    partitions: problemExample(
      422,
      'TOPIC.LIMIT_EXCEEDED',
      'Tenant topic limit exceeded',
      'partitions is 64; this tenant may have at most 12 per topic',
      '/topics',
      { field: 'partitions', limit: 'maxPartitionsPerTopic', max: 12 },
    ),
  })
  @ApiProblemResponse(
    503,
    'Kafka did not complete the creation; send the same request again',
    {
      kafka: problemExample(
        503,
        'TOPIC.KAFKA_UNAVAILABLE',
        'Kafka did not complete the topic change',
        'Kafka did not create the topic: Connection timeout; retry the same request',
        '/topics',
      ),
    },
    { retryAfter: true },
  )
  create(@Body() body: CreateTopicDto, @Principal() caller: AuthPrincipal): Promise<TopicView> {
    return this.commands.execute(
      new CreateTopicCommand(
        caller.tenantId,
        body.name,
        body.partitions,
        body.retentionMs,
        body.cleanupPolicy ?? 'delete',
        body.valueSubject ?? null,
      ),
    );
  }
}
