import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../../docs/problem-responses';
import { TopicNameParams } from '../../../../topics/shared/topic-name.params';
import { CommitOffsetsCommand } from './commit-offsets.command';
import { CommitOffsetsDto } from './commit-offsets.dto';
import type { CommittedOffsetsView } from './commit-offsets.handler';

const PATH = '/topics/orders/offsets';

@ApiTags('records')
@Controller('topics')
export class CommitOffsetsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':name/offsets')
  @HttpCode(200)
  @RequireScopes(SCOPES.eventsConsume)
  @ApiOperation({
    summary: 'Commit a named consumer group’s offsets on a topic of the caller’s tenant',
    description:
      'Each offset is the next one to read (Kafka semantics): commit the nextOffsets of a read. ' +
      '`GET /topics/{name}/records?group=` then starts there. Groups are the tenant’s own (stored in ' +
      'Kafka as tenant.<tenant>.<group>); partitions not listed keep their offsets. A commit joins the ' +
      'group for a moment (tens of milliseconds); commits to one group are applied one after another.',
  })
  @ApiOkResponse({
    schema: {
      example: { group: 'billing-service', offsets: [{ partition: 0, offset: '42' }] },
    },
  })
  @ApiProblemResponse(400, 'A field is invalid, an unknown partition or an offset past the end', {
    pastEnd: problemExample(
      400,
      'CONSUME.INVALID_POSITION',
      'Invalid start position',
      'Offset 90 is past the end of partition 0 (offsets 0 to 20)',
      PATH,
      { field: 'body.offsets[0].offset', range: { partition: 0, low: '0', high: '20' } },
    ),
  })
  @ApiProblemResponse(404, 'The tenant has no such topic', {
    notFound: problemExample(
      404,
      'TOPIC.NOT_FOUND',
      'Topic not found',
      'No topic named "orders"',
      PATH,
    ),
  })
  commit(
    @Param() params: TopicNameParams,
    @Body() body: CommitOffsetsDto,
    @Principal() caller: AuthPrincipal,
  ): Promise<CommittedOffsetsView> {
    return this.commands.execute(
      new CommitOffsetsCommand(
        caller.tenantId,
        params.name,
        body.group,
        body.offsets.map(({ partition, offset }) => ({ partition, offset })),
      ),
    );
  }
}
