import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { LogPageView, TraceView } from './log-record.view';
import { SearchLogsQuery } from './queries/search-logs/search-logs.query';
import { SearchLogsRequest } from './queries/search-logs/search-logs.request';
import { TraceFlowQuery } from './queries/trace-flow/trace-flow.query';
import { TraceFlowParams } from './queries/trace-flow/trace-flow.request';

@ApiTags('logs')
@Controller('logs')
export class LogsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Search the records of every topic',
    description:
      'Paged, newest first (Kafka record time). Filters combine with AND. page × pageSize is ' +
      'limited to 10,000 (narrow with from/to to go further back).',
  })
  @ApiOkResponse({ type: LogPageView })
  @ApiResponse({ status: 400, description: 'Invalid parameter (problem details naming it)' })
  @ApiResponse({ status: 503, description: 'Elasticsearch unavailable' })
  search(@Query() request: SearchLogsRequest): Promise<LogPageView> {
    const { page, pageSize, ...filters } = request;
    return this.queries.execute(new SearchLogsQuery(definedOnly(filters), page, pageSize));
  }

  @Get('trace/:correlationId')
  @ApiOperation({
    summary: 'Follow one flow end to end',
    description:
      'Every record carrying the correlation id (envelope field or correlation-id header) on any ' +
      'topic, oldest first: the command, its reply and later stages.',
  })
  @ApiOkResponse({ type: TraceView })
  @ApiResponse({ status: 503, description: 'Elasticsearch unavailable' })
  trace(@Param() { correlationId }: TraceFlowParams): Promise<TraceView> {
    return this.queries.execute(new TraceFlowQuery(correlationId));
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
