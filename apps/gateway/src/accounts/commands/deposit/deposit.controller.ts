import { SCOPES } from '@event-hub/auth';
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import { idempotencyKeyRequired } from '../../../command-acceptance/idempotency';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  commandContextOf,
} from '../../../command-acceptance/command-http';
import { normalizeAmount } from '../../../users/commands/record-payment/amount';
import { ApiAccountNotFound } from '../../shared/account-docs';
import { AccountIdParam, ApiAccountIdParam } from '../../shared/account-id.params';
import { DepositCommand } from './deposit.command';
import { DepositDto } from './deposit.dto';

@ApiTags('accounts')
@Controller('accounts')
export class DepositController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/deposits')
  @ApiOperation({
    summary: 'Credit an account (operator; admin scope)',
    description:
      'An operator credit, so tests and the simulator have money: money enters the ledger here ' +
      'and nowhere else, hence the `admin` scope (platform operators), for an account of any ' +
      'tenant. `Idempotency-Key` is required here (400 without it): a retried credit must never be applied twice. ' +
      'Produces `accounts.deposit`; the status result holds the new balance and its version ' +
      '(use it as `minVersion` on GET /accounts/{id}/balance).',
  })
  @ApiAccountIdParam()
  @CommandRoute(
    ACCOUNT_COMMANDS.deposit,
    '/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f/deposits',
    [{ field: 'body.amount', message: 'amount must be greater than 0' }],
    SCOPES.admin,
  )
  @ApiAccountNotFound('/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f/deposits')
  async deposit(
    @Body() body: DepositDto,
    @AccountIdParam() accountId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const context = commandContextOf(request);
    if (!context.idempotency) {
      throw idempotencyKeyRequired('a retried credit must be applied once');
    }
    const accepted = await this.commands.execute(
      new DepositCommand(accountId, normalizeAmount(body.amount), context),
    );
    return answerAccepted(reply, accepted);
  }
}
