import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import type { LogVisibility } from './log-queries';
import { LogPageView, TraceView } from './log-record.view';
import { SearchLogsQuery } from './queries/search-logs/search-logs.query';
import { SearchLogsRequest } from './queries/search-logs/search-logs.request';
import { TraceFlowQuery } from './queries/trace-flow/trace-flow.query';
import { TraceFlowParams } from './queries/trace-flow/trace-flow.request';

@ApiTags('logs')
@RequireScopes(SCOPES.logsRead)
@Controller('logs')
export class LogsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Search the records of every topic',
    description:
      'Paged, newest first (Kafka record time). Filters combine with AND. page × pageSize is ' +
      'limited to 10,000 (narrow with from/to to go further back). A tenant sees the records of ' +
      'its own topics and the platform records carrying its tenant id; operators (`admin`) see ' +
      'every record. Personal data (e-mail, CPF, fields the topic catalog marks) is returned ' +
      'masked; an exact e-mail, CPF or catalog value in `q` still finds its records.',
  })
  @ApiOkResponse({ type: LogPageView })
  @ApiResponse({ status: 400, description: 'Invalid parameter (problem details naming it)' })
  @ApiResponse({ status: 503, description: 'Elasticsearch unavailable' })
  search(
    @Query() request: SearchLogsRequest,
    @Principal() caller: AuthPrincipal,
  ): Promise<LogPageView> {
    const { page, pageSize, ...filters } = request;
    return this.queries.execute(
      new SearchLogsQuery(definedOnly(filters), page, pageSize, visibilityOf(caller)),
    );
  }

  @Get('trace/:correlationId')
  @ApiOperation({
    summary: 'Follow one flow end to end',
    description:
      'Every record carrying the correlation id (envelope field or correlation-id header) on any ' +
      'topic the caller may see, oldest first: the command, its reply and later stages.',
  })
  @ApiOkResponse({ type: TraceView })
  @ApiResponse({
    status: 404,
    description: 'No record the caller may see carries the id (unknown, or another tenant’s)',
  })
  @ApiResponse({ status: 503, description: 'Elasticsearch unavailable' })
  trace(
    @Param() { correlationId }: TraceFlowParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<TraceView> {
    return this.queries.execute(new TraceFlowQuery(correlationId, visibilityOf(caller)));
  }
}

/** `admin` is only ever granted to the platform tenant's clients (the token checks enforce it). */
function visibilityOf(caller: AuthPrincipal): LogVisibility {
  return caller.scopes.includes(SCOPES.admin) ? { all: true } : { tenantId: caller.tenantId };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
