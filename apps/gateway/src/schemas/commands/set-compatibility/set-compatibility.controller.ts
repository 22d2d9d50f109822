import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { CompatibilityView } from '../../shared/schema.views';
import { WritableSubjectParams } from '../../shared/subject.params';
import { SetCompatibilityCommand } from './set-compatibility.command';
import { SetCompatibilityDto } from './set-compatibility.dto';

@ApiTags('schemas')
@Controller('schemas')
export class SetCompatibilityController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':subject/config')
  @RequireScopes(SCOPES.schemasWrite)
  @ApiOperation({
    summary: "Set a subject's compatibility mode",
    description: 'Creates the subject if it has no version yet, so its first versions follow it.',
  })
  @ApiOkResponse({ type: CompatibilityView })
  @ApiProblemResponse(400, 'The subject name or the mode is invalid', {
    validation: problemExample(
      400,
      'VALIDATION_FAILED',
      'Request validation failed',
      'Invalid: body.compatibility',
      '/schemas/orders-value/config',
      { errors: [{ field: 'body.compatibility', message: 'compatibility must be one of …' }] },
    ),
  })
  set(
    @Param() params: WritableSubjectParams,
    @Body() body: SetCompatibilityDto,
    @Principal() caller: AuthPrincipal,
  ): Promise<CompatibilityView> {
    return this.commands.execute(
      new SetCompatibilityCommand(caller.tenantId, params.subject, body.compatibility),
    );
  }
}
