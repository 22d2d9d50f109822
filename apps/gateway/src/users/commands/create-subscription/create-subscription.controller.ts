import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { USER_COMMANDS } from '@event-hub/contracts';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  commandContextOf,
} from '../../../command-acceptance/command-http';
import { ApiUserIdParam, UserIdParam } from '../../shared/user-id.params';
import { CreateSubscriptionCommand } from './create-subscription.command';
import { CreateSubscriptionDto } from './create-subscription.dto';

@ApiTags('users')
@Controller('users')
export class CreateSubscriptionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':userId/subscriptions')
  @ApiOperation({
    summary: 'Subscribe a user to a plan',
    description:
      'Produces a `users.create_subscription` command keyed by the user id; the subscription id is ' +
      'assigned here. The processor fails it with USER.NOT_FOUND or SUBSCRIPTION.ALREADY_ACTIVE.',
  })
  @ApiUserIdParam()
  @CommandRoute(
    USER_COMMANDS.createSubscription,
    '/users/3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60/subscriptions',
    [
      { field: 'params.userId', message: 'userId must be a UUID' },
      {
        field: 'body.plan',
        message: 'plan must be one of the following values: basic, standard, premium',
      },
    ],
  )
  async create(
    // The body comes first: see UserIdParam.
    @Body() body: CreateSubscriptionDto,
    @UserIdParam() userId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const accepted = await this.commands.execute(
      new CreateSubscriptionCommand(
        userId,
        body.plan,
        body.billingCycle,
        body.startDate,
        commandContextOf(request),
      ),
    );
    return answerAccepted(reply, accepted);
  }
}
