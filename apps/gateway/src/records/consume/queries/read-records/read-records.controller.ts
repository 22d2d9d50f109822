import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ProblemException } from '@event-hub/service-runtime';
import { ApiProblemResponse, problemExample } from '../../../../docs/problem-responses';
import { TopicNameParams } from '../../../../topics/shared/topic-name.params';
import { ClientIdMismatchError } from '../../shared/consume.errors';
import type { WrittenReadAnswer } from '../../shared/consumed-records-answer';
import { ConsumedRecordsView } from '../../shared/consume.views';
import { parseStartPosition } from '../../shared/start-position';
import { ReadRecordsParams } from './read-records.dto';
import { ReadRecordsQuery } from './read-records.query';

const PATH = '/topics/orders/records?fromOffset=0:15,1:20';

@ApiTags('records')
@Controller('topics')
export class ReadRecordsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':name/records')
  @RequireScopes(SCOPES.eventsConsume)
  // The answer comes serialized (stored JSON values embedded as they are), not by Fastify.
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'Read records of a topic of the caller’s tenant (committed only), with long poll',
    description:
      'Start at fromOffset (one offset or per partition), fromTime (Kafka’s offset-for-time lookup) or ' +
      'a named group’s committed offsets; with none, at the earliest retained record. Only records of ' +
      'committed transactions are returned; offsets may skip (transaction markers, aborted records): ' +
      'continue with `nextOffsets`, never with last offset + 1. The answer holds at most `limit` ' +
      'records and GATEWAY_CONSUME_MAX_RESPONSE_BYTES bytes (the first record always). Delivered ' +
      'records are metered (billed to the token’s client) before the answer and count against the ' +
      'tenant’s consume quota, shared by every gateway instance; an answer holds at most a tenth of ' +
      'a second’s consume quota (records and bytes; the first record always).',
  })
  @ApiOkResponse({ type: ConsumedRecordsView })
  @ApiProblemResponse(
    400,
    'A query parameter is invalid, or an offset past the end of its partition',
    {
      validation: problemExample(
        400,
        'VALIDATION_FAILED',
        'Request validation failed',
        'Invalid: query.fromOffset',
        PATH,
        {
          errors: [
            {
              field: 'query.fromOffset',
              message:
                'fromOffset must be an offset (e.g. 15) or partition:offset pairs (e.g. 0:15,1:20)',
            },
          ],
        },
      ),
      pastEnd: problemExample(
        400,
        'CONSUME.INVALID_POSITION',
        'Invalid start position',
        'Offset 90 is past the end of partition 1 (offsets 0 to 20)',
        PATH,
        { field: 'query.fromOffset', range: { partition: 1, low: '0', high: '20' } },
      ),
    },
  )
  @ApiProblemResponse(403, 'clientId is not the token’s client id', {
    mismatch: problemExample(
      403,
      'CONSUME.CLIENT_ID_MISMATCH',
      'clientId is not the caller',
      'clientId, when given, must be the client id of the token (consumption is billed to it)',
      PATH,
      { field: 'query.clientId' },
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
  @ApiProblemResponse(
    429,
    'The tenant’s consume rate quota (records/s or bytes/s) is used up',
    {
      quota: problemExample(
        429,
        'QUOTA.EXCEEDED',
        'Rate quota exceeded',
        "The tenant's consume quota of 10000 records/s is used up; retry after 1 s",
        PATH,
        { quota: { direction: 'consume', unit: 'records', perSecond: 10000 } },
      ),
    },
    { retryAfter: true },
  )
  @ApiProblemResponse(
    503,
    'Kafka could not be read, no reader was free, or the usage could not be metered: nothing delivered',
    {
      metering: problemExample(
        503,
        'CONSUME.METERING_UNAVAILABLE',
        'Usage could not be metered',
        'The consumption could not be metered, so nothing is delivered; retry from the same position',
        PATH,
      ),
    },
    { retryAfter: true },
  )
  async read(
    @Param() params: TopicNameParams,
    @Query() query: ReadRecordsParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<Buffer> {
    const parsed = parseStartPosition(query);
    if ('problems' in parsed) throw ProblemException.validation(parsed.problems);
    if (query.clientId !== undefined && query.clientId !== caller.clientId) {
      throw new ClientIdMismatchError();
    }
    const answer = await this.queries.execute<ReadRecordsQuery, WrittenReadAnswer>(
      new ReadRecordsQuery(
        caller.tenantId,
        caller.clientId,
        params.name,
        parsed.position,
        query.partition,
        query.limit,
        query.maxWaitMs,
      ),
    );
    return answer.json;
  }
}
