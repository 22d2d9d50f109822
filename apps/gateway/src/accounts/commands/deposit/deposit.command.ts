import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
  type CommandContext,
} from '../../../command-acceptance/command-acceptor';
import { AccountRecords } from '../../shared/account-records';

export class DepositCommand extends Command<AcceptedCommand> {
  constructor(
    readonly accountId: string,
    /** Canonical decimal string, > 0, two decimals. */
    readonly amount: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(DepositCommand)
export class DepositHandler implements ICommandHandler<DepositCommand, AcceptedCommand> {
  constructor(
    private readonly acceptor: CommandAcceptor,
    private readonly records: AccountRecords,
  ) {}

  async execute({ accountId, amount, context }: DepositCommand): Promise<AcceptedCommand> {
    const accountTenantId = await this.records.tenantOf(accountId);
    return this.acceptor.accept({
      type: ACCOUNT_COMMANDS.deposit,
      key: accountId,
      data: { accountId, accountTenantId, amount },
      ...context,
    });
  }
}
