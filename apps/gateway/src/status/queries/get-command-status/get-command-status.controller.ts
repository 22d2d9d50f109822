import { Principal, RequireScopes, type AuthPrincipal } from '@event-hub/auth';
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../docs/problem-responses';
import { CommandStatusView } from './command-status.view';
import { GetCommandStatusQuery } from './get-command-status.query';

export class CorrelationIdParams {
  @ApiProperty({ format: 'uuid', example: '0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e' })
  @IsUUID('all')
  correlationId!: string;
}

const EXAMPLE_PATH = '/status/0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e';

@ApiTags('status')
@Controller('status')
export class GetCommandStatusController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':correlationId')
  @RequireScopes()
  @ApiOperation({
    summary: 'Outcome of an accepted command',
    description:
      'PENDING until the processor replied, then COMPLETED with its result or FAILED with a code. ' +
      'Kept in Postgres, so every gateway instance answers the same, also after a restart.',
  })
  @ApiOkResponse({ type: CommandStatusView })
  @ApiProblemResponse(400, 'The correlation id is not a UUID', {
    validation: PROBLEM_EXAMPLES.validation('/status/42', [
      { field: 'params.correlationId', message: 'correlationId must be a UUID' },
    ]),
  })
  @ApiProblemResponse(404, 'No command was accepted with this correlation id', {
    notFound: PROBLEM_EXAMPLES.notFound(
      EXAMPLE_PATH,
      'STATUS.NOT_FOUND',
      'Unknown correlation id',
      'No command was accepted with correlation id 0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e',
    ),
  })
  get(
    @Param() params: CorrelationIdParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<CommandStatusView> {
    return this.queries.execute(new GetCommandStatusQuery(params.correlationId, caller.tenantId));
  }
}
