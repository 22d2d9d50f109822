import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
  type CommandContext,
} from '../../../command-acceptance/command-acceptor';
import { AccountRecords } from '../../shared/account-records';

export class AdjustBalanceCommand extends Command<AcceptedCommand> {
  constructor(
    readonly accountId: string,
    /** Canonical decimal string, >= 0, two decimals. */
    readonly balance: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AdjustBalanceCommand)
export class AdjustBalanceHandler implements ICommandHandler<
  AdjustBalanceCommand,
  AcceptedCommand
> {
  constructor(
    private readonly acceptor: CommandAcceptor,
    private readonly records: AccountRecords,
  ) {}

  async execute(command: AdjustBalanceCommand): Promise<AcceptedCommand> {
    const { accountId, balance, reason, context } = command;
    const accountTenantId = await this.records.tenantOf(accountId);
    return this.acceptor.accept({
      type: ACCOUNT_COMMANDS.adjustBalance,
      key: accountId,
      data: { accountId, accountTenantId, balance, reason },
      ...context,
    });
  }
}
