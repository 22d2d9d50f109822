import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ProblemException } from '@event-hub/service-runtime';
import { idempotencyKeyOf, requestHash } from '../../../../command-acceptance/idempotency';
import { ApiProblemResponse, problemExample } from '../../../../docs/problem-responses';
import { TopicNameParams } from '../../../../topics/shared/topic-name.params';
import { ProducedRecordsView } from '../../shared/produce.views';
import type { RecordInput } from '../../shared/record-encoding';
import { ProduceBodyPipe } from './produce-body.pipe';
import { ProduceRecordsCommand } from './produce-records.command';
import { ProduceRecordsDto, type RecordDto } from './produce-records.dto';

const PATH = '/topics/orders/records';

@ApiTags('records')
@Controller('topics')
export class ProduceRecordsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':name/records')
  @HttpCode(200)
  @RequireScopes(SCOPES.eventsProduce)
  @ApiOperation({
    summary: 'Produce one record or a batch to a topic of the caller’s tenant',
    description:
      'Answered after Kafka committed every record (acks=all), with partition and offset per record ' +
      'in request order. A batch is written all or nothing, together with its usage event. Each record ' +
      'carries the producing client in the client-id header (and tenant-id).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Up to 200 visible ASCII characters. The same client sending the same key and body again within ' +
      'the key’s lifetime gets the first answer (header Idempotency-Replayed: true) and nothing is ' +
      'produced; another body with the key is answered 409.',
  })
  @ApiBody({ type: ProduceRecordsDto })
  @ApiOkResponse({ type: ProducedRecordsView })
  @ApiProblemResponse(400, 'A field is invalid, or a partition the topic does not have', {
    validation: problemExample(
      400,
      'VALIDATION_FAILED',
      'Request validation failed',
      'Invalid: body.records.0.value',
      PATH,
      {
        errors: [
          { field: 'body.records.0.value', message: 'value should not be null or undefined' },
        ],
      },
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
    409,
    'Idempotency-Key used with another body, or its first request still running',
    {
      reused: problemExample(
        409,
        'IDEMPOTENCY.KEY_REUSED',
        'Idempotency-Key reused with another request',
        'This Idempotency-Key was already used with another request (method, path or body differ)',
        PATH,
      ),
    },
  )
  @ApiProblemResponse(
    413,
    'Too many records, a record too large, or the request too large (names the limit)',
    {
      tooMany: problemExample(
        413,
        'PRODUCE.PAYLOAD_TOO_LARGE',
        'Produce request too large',
        '1200 records in one request; at most 1000 are accepted',
        PATH,
        { limit: 'maxRecords', max: 1000 },
      ),
    },
  )
  @ApiProblemResponse(422, 'A value does not conform to the topic’s schema; nothing was written', {
    schema: problemExample(
      422,
      'PRODUCE.SCHEMA_VIOLATION',
      'Record values do not conform to the topic schema',
      'Nothing was written. Against subject orders-value: records[1].value/amount',
      PATH,
      {
        subject: 'orders-value',
        errors: [{ field: 'records[1].value/amount', message: 'must be number' }],
      },
    ),
  })
  @ApiProblemResponse(429, 'The tenant’s produce rate quota is used up', {}, { retryAfter: true })
  @ApiProblemResponse(
    503,
    'Kafka did not commit the records; `written` says false (nothing written) or unknown',
    {
      notAccepted: problemExample(
        503,
        'PRODUCE.NOT_ACCEPTED',
        'Kafka did not accept the records',
        'Kafka did not take the transaction in time; it is aborted and nothing of it was written',
        PATH,
        { reason: 'timeout', written: false },
      ),
    },
    { retryAfter: true },
  )
  async produce(
    @Param() params: TopicNameParams,
    // Readonly<…> is no class at run time, so the global validation pipe leaves the body to
    // ProduceBodyPipe (which validates it as a ProduceRecordsDto).
    @Body(ProduceBodyPipe) body: Readonly<ProduceRecordsDto>,
    @Principal() caller: AuthPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKeyHeader?: string,
  ): Promise<ProducedRecordsView> {
    const records = recordsOf(body);
    const key = idempotencyKeyOf(idempotencyKeyHeader);
    // Hashed as records, so a single record and the same record in `records` are one request.
    const idempotency =
      key === undefined
        ? undefined
        : { key, requestHash: requestHash('POST', `/topics/${params.name}/records`, records) };
    const result = await this.commands.execute(
      new ProduceRecordsCommand(
        caller.tenantId,
        caller.clientId,
        params.name,
        records,
        idempotency,
      ),
    );
    if (result.replayed) void reply.header('idempotency-replayed', 'true');
    return result.view;
  }
}

function recordsOf(body: ProduceRecordsDto): RecordInput[] {
  if (body.records === undefined) return [toInput(body as RecordDto)];
  const single = (['key', 'value', 'headers', 'partition'] as const).filter(
    (field) => body[field] !== undefined,
  );
  if (single.length > 0) {
    throw ProblemException.validation(
      single.map((field) => ({
        field: `body.${field}`,
        message: `${field} belongs inside records[] when records is given`,
      })),
    );
  }
  return body.records.map(toInput);
}

function toInput(record: RecordDto): RecordInput {
  const input: RecordInput = { value: record.value };
  if (record.key !== undefined) input.key = record.key;
  if (record.headers !== undefined) input.headers = record.headers;
  if (record.partition !== undefined) input.partition = record.partition;
  return input;
}
