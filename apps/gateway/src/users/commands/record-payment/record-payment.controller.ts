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
import { normalizeAmount } from './amount';
import { RecordPaymentCommand } from './record-payment.command';
import { RecordPaymentDto } from './record-payment.dto';

@ApiTags('users')
@Controller('users')
export class RecordPaymentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':userId/payments')
  @ApiOperation({
    summary: 'Record a payment of a user',
    description:
      'Produces a `users.record_payment` command keyed by the user id, with the amount as a decimal ' +
      'string with two decimals ("149.90"); the payment id is assigned here. The processor fails it ' +
      'with USER.NOT_FOUND, SUBSCRIPTION.NOT_FOUND or PAYMENT.SUBSCRIPTION_MISMATCH.',
  })
  @ApiUserIdParam()
  @CommandRoute(
    USER_COMMANDS.recordPayment,
    '/users/3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60/payments',
    [
      {
        field: 'body.amount',
        message: 'amount must be a positive decimal with at most 2 decimals, such as "149.90"',
      },
      {
        field: 'body.currency',
        message: 'currency must be one of the following values: BRL, USD, EUR',
      },
    ],
  )
  async record(
    // The body comes first: see UserIdParam.
    @Body() body: RecordPaymentDto,
    @UserIdParam() userId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const accepted = await this.commands.execute(
      new RecordPaymentCommand(
        userId,
        normalizeAmount(body.amount),
        body.currency,
        body.method,
        body.subscriptionId,
        commandContextOf(request),
      ),
    );
    return answerAccepted(reply, accepted);
  }
}
