import { SCOPES } from '@event-hub/auth';
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  commandContextOf,
} from '../../../command-acceptance/command-http';
import { ApiAccountNotFound } from '../../shared/account-docs';
import { AccountIdParam, ApiAccountIdParam } from '../../shared/account-id.params';
import { normalizeBalance } from '../../shared/balance-amount';
import { AdjustBalanceCommand } from './adjust-balance.command';
import { AdjustBalanceDto } from './adjust-balance.dto';

@ApiTags('accounts')
@Controller('accounts')
export class AdjustBalanceController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/adjustments')
  @ApiOperation({
    summary: 'Set an account’s balance absolutely, with a reason (admin scope)',
    description:
      'What `npm run balance -- set` calls. Produces `accounts.adjust_balance`; the processor ' +
      'sets the balance under the account’s row lock, records the previous and new balance, the ' +
      'operator and the reason in the ledger and on pix.audit.log, and publishes the new ' +
      'account_balances record from the same transaction. The status result holds the balance ' +
      'and version.',
  })
  @ApiAccountIdParam()
  @CommandRoute(
    ACCOUNT_COMMANDS.adjustBalance,
    '/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f/adjustments',
    [
      { field: 'body.balance', message: 'balance must not be negative' },
      { field: 'body.reason', message: 'reason must be longer than or equal to 1 characters' },
    ],
    SCOPES.admin,
  )
  @ApiAccountNotFound('/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f/adjustments')
  async adjust(
    @Body() body: AdjustBalanceDto,
    @AccountIdParam() accountId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const accepted = await this.commands.execute(
      new AdjustBalanceCommand(
        accountId,
        normalizeBalance(body.balance),
        body.reason,
        commandContextOf(request),
      ),
    );
    return answerAccepted(reply, accepted);
  }
}
