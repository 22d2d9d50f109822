import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PREFERENCES_LIMITS, USER_COMMANDS } from '@event-hub/contracts';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  IdempotencyKey,
} from '../../../commands/command-http';
import type { IdempotencyClaim } from '../../../commands/idempotency';
import { UserIdParams } from '../../shared/user-id.params';
import { UpdatePreferencesCommand } from './update-preferences.command';
import { UpdatePreferencesDto } from './update-preferences.dto';

@ApiTags('users')
@Controller('users')
export class UpdatePreferencesController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':userId/preferences')
  @ApiOperation({
    summary: "Replace a user's preferences",
    description:
      'Produces a `users.update_preferences` command keyed by the user id. The body wraps the ' +
      'settings object in `preferences`. The processor fails it with USER.NOT_FOUND.',
  })
  @CommandRoute(
    USER_COMMANDS.updatePreferences,
    '/users/3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60/preferences',
    [
      {
        field: 'body.preferences',
        message: `preferences must be nested at most ${PREFERENCES_LIMITS.maxDepth} levels deep (is 5)`,
      },
    ],
  )
  async update(
    @Param() params: UserIdParams,
    @Body() body: UpdatePreferencesDto,
    @IdempotencyKey() idempotency: IdempotencyClaim | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const accepted = await this.commands.execute(
      new UpdatePreferencesCommand(params.userId, body.preferences, idempotency),
    );
    return answerAccepted(reply, accepted);
  }
}
