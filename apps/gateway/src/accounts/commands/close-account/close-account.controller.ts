import { Controller, Post, Req, Res } from '@nestjs/common';
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
import { ApiAccountNotFound } from '../../shared/account-docs';
import { AccountIdParam, ApiAccountIdParam } from '../../shared/account-id.params';
import { CloseAccountCommand } from './close-account.command';

@ApiTags('accounts')
@Controller('accounts')
export class CloseAccountController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/close')
  @ApiOperation({
    summary: 'Close an account of your tenant (balance 0.00 only)',
    description:
      'Produces `accounts.close_account`. The processor closes the account only at balance ' +
      '0.00 (else FAILED `ACCOUNT.BALANCE_NOT_ZERO`): it stays readable on GET /accounts/{id} ' +
      'with `closedAt`, its PIX keys stay reserved to it, deposits and adjustments then fail ' +
      'with `ACCOUNT.CLOSED` and payments from or to it are rejected with `ACCOUNT_CLOSED`; its ' +
      '`account_balances` key gets a tombstone, so GET /accounts/{id}/balance answers 404 once ' +
      'the view has read it. Closing a closed account completes again with the first `closedAt`. ' +
      '`Idempotency-Key` is required (400 without it).',
  })
  @ApiAccountIdParam()
  @CommandRoute(
    ACCOUNT_COMMANDS.closeAccount,
    '/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f/close',
    [{ field: 'headers.idempotency-key', message: 'Idempotency-Key is required' }],
  )
  @ApiAccountNotFound('/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f/close')
  async close(
    @AccountIdParam() accountId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const context = commandContextOf(request);
    if (!context.idempotency) {
      throw idempotencyKeyRequired('a retried close must be recognised as one');
    }
    const accepted = await this.commands.execute(new CloseAccountCommand(accountId, context));
    return answerAccepted(reply, accepted);
  }
}
