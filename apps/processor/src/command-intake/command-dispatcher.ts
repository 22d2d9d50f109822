import { Injectable } from '@nestjs/common';
import { Command, CommandBus, type IEvent } from '@nestjs/cqrs';
import { ACCOUNT_COMMANDS, USER_COMMANDS, type CommandReplyData } from '@event-hub/contracts';
import {
  AdjustBalanceCommand,
  CloseAccountCommand,
  DepositCommand,
  OpenAccountCommand,
} from '../accounts/account-commands';
import type { CommandMeta, CommandResultData } from '../users/commands/command-meta';
import { CreateSubscriptionCommand } from '../users/commands/create-subscription/create-subscription.command';
import { CreateUserCommand } from '../users/commands/create-user/create-user.command';
import { CreateUsersCommand } from '../users/commands/create-users/create-users.command';
import { RecordPaymentCommand } from '../users/commands/record-payment/record-payment.command';
import { UpdatePreferencesCommand } from '../users/commands/update-preferences/update-preferences.command';
import { DomainError } from '../users/domain/domain-error';
import type { CommandRecord, ParsedCommand } from './command-message.parser';

/** A command's reply data, and the domain events it raised (published once committed). */
export interface DispatchedCommand {
  data: CommandReplyData;
  events: IEvent[];
}

/**
 * Turns a well-formed command record into its CQRS command and runs it through the CommandBus.
 * A business-rule failure becomes FAILED reply data; anything else is a technical error and is
 * thrown for the caller to retry.
 */
@Injectable()
export class CommandDispatcher {
  constructor(private readonly commandBus: CommandBus) {}

  async dispatch(record: CommandRecord): Promise<CommandReplyData> {
    const command = record.command.type;
    try {
      const result = await this.commandBus.execute(toCqrsCommand(record.command, metaOf(record)));
      return { status: 'COMPLETED', command, result };
    } catch (error) {
      if (error instanceof DomainError) {
        return { status: 'FAILED', command, error: { code: error.code, message: error.message } };
      }
      throw error;
    }
  }

  /**
   * Consecutive create-user records as one {@link CreateUsersCommand}: the same replies as
   * {@link dispatch} one by one, in order, with each created user's event.
   */
  async dispatchCreateUsers(records: CommandRecord[]): Promise<DispatchedCommand[]> {
    const commands = records.map((record) => {
      if (record.command.type !== USER_COMMANDS.createUser)
        throw new Error(`${record.command.type} is not ${USER_COMMANDS.createUser}`);
      return new CreateUserCommand(record.command.data, metaOf(record));
    });
    const outcomes = await this.commandBus.execute(new CreateUsersCommand(commands));
    const command = USER_COMMANDS.createUser;
    return outcomes.map((outcome) =>
      'created' in outcome
        ? {
            data: { status: 'COMPLETED', command, result: outcome.created },
            events: [outcome.event],
          }
        : {
            data: {
              status: 'FAILED',
              command,
              error: { code: outcome.refused.code, message: outcome.refused.message },
            },
            events: [],
          },
    );
  }
}

function metaOf(record: CommandRecord): CommandMeta {
  return {
    eventId: record.envelope.eventId,
    correlationId: record.envelope.metadata.correlationId,
    tenantId: record.tenantId,
    ...(record.envelope.metadata.clientId ? { clientId: record.envelope.metadata.clientId } : {}),
  };
}

function toCqrsCommand(parsed: ParsedCommand, meta: CommandMeta): Command<CommandResultData> {
  switch (parsed.type) {
    case USER_COMMANDS.createUser:
      return new CreateUserCommand(parsed.data, meta);
    case USER_COMMANDS.createSubscription:
      return new CreateSubscriptionCommand(parsed.data, meta);
    case USER_COMMANDS.recordPayment:
      return new RecordPaymentCommand(parsed.data, meta);
    case USER_COMMANDS.updatePreferences:
      return new UpdatePreferencesCommand(parsed.data, meta);
    case ACCOUNT_COMMANDS.openAccount:
      return new OpenAccountCommand(parsed.data, meta);
    case ACCOUNT_COMMANDS.deposit:
      return new DepositCommand(parsed.data, meta);
    case ACCOUNT_COMMANDS.adjustBalance:
      return new AdjustBalanceCommand(parsed.data, meta);
    case ACCOUNT_COMMANDS.closeAccount:
      return new CloseAccountCommand(parsed.data, meta);
  }
}
