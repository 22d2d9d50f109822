import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
  type CommandContext,
} from '../../../command-acceptance/command-acceptor';
import { AccountNotFoundError } from '../../shared/account-errors';
import { AccountRecords } from '../../shared/account-records';

export class CloseAccountCommand extends Command<AcceptedCommand> {
  constructor(
    readonly accountId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Produces `accounts.close_account` for an account of the caller's tenant (another tenant's is
 * 404, like an unknown one); the processor decides the rest (balance 0.00, already closed).
 */
@CommandHandler(CloseAccountCommand)
export class CloseAccountHandler implements ICommandHandler<CloseAccountCommand, AcceptedCommand> {
  constructor(
    private readonly acceptor: CommandAcceptor,
    private readonly records: AccountRecords,
  ) {}

  async execute({ accountId, context }: CloseAccountCommand): Promise<AcceptedCommand> {
    if ((await this.records.tenantOf(accountId)) !== context.origin.tenantId) {
      throw new AccountNotFoundError(accountId);
    }
    return this.acceptor.accept({
      type: ACCOUNT_COMMANDS.closeAccount,
      key: accountId,
      data: { accountId },
      ...context,
    });
  }
}
