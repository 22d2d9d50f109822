import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import { ProblemException } from '@event-hub/service-runtime';
import {
  CommandAcceptor,
  type AcceptedCommand,
  type CommandContext,
} from '../../../command-acceptance/command-acceptor';
import { PixKeyTakenError } from '../../shared/account-errors';
import { AccountRecords } from '../../shared/account-records';
import type { StoredPixKey } from './pix-key-list';

export interface AcceptedAccount extends AcceptedCommand {
  accountId: string;
}

export class OpenAccountCommand extends Command<AcceptedAccount> {
  constructor(
    readonly userId: string,
    /** Validated, normalised and distinct. */
    readonly keys: StoredPixKey[],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand, AcceptedAccount> {
  constructor(
    private readonly acceptor: CommandAcceptor,
    private readonly records: AccountRecords,
  ) {}

  async execute({ userId, keys, context }: OpenAccountCommand): Promise<AcceptedAccount> {
    const tenantId = context.origin.tenantId;
    if (!(await this.records.userExists(userId, tenantId))) {
      throw ProblemException.validation([
        { field: 'body.userId', message: 'userId must be an existing user of your tenant' },
      ]);
    }
    const taken = await this.records.takenKeys(tenantId, keys);
    if (taken.length > 0) {
      throw new PixKeyTakenError(
        taken.map((t) => ({
          field: `body.pixKeys.${keys.findIndex((k) => k.type === t.type && k.value === t.value)}.value`,
          type: t.type,
          value: t.value,
        })),
      );
    }
    const accountId = randomUUID();
    const accepted = await this.acceptor.accept({
      type: ACCOUNT_COMMANDS.openAccount,
      key: accountId,
      data: { accountId, userId, keys },
      ...context,
    });
    return { ...accepted, accountId };
  }
}
