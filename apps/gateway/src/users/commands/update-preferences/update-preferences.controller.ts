import { Body, Controller, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PREFERENCES_LIMITS, USER_COMMANDS } from '@event-hub/contracts';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  commandContextOf,
} from '../../../command-acceptance/command-http';
import { ApiUserIdParam, UserIdParam } from '../../shared/user-id.params';
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
  @ApiUserIdParam()
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
    // The body comes first: see UserIdParam.
    @Body() body: UpdatePreferencesDto,
    @UserIdParam() userId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const accepted = await this.commands.execute(
      new UpdatePreferencesCommand(userId, body.preferences, commandContextOf(request)),
    );
    return answerAccepted(reply, accepted);
  }
}
