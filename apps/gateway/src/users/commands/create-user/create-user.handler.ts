import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { USER_COMMANDS } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
} from '../../../command-acceptance/command-acceptor';
import { acceptUserCommand } from '../../shared/accept-user-command';
import { normalizeCpf } from '../../shared/cpf';
import { CreateUserCommand } from './create-user.command';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, AcceptedCommand> {
  constructor(private readonly acceptor: CommandAcceptor) {}

  execute(command: CreateUserCommand): Promise<AcceptedCommand> {
    return acceptUserCommand(
      this.acceptor,
      USER_COMMANDS.createUser,
      {
        // The gateway names the user, so the command can be keyed and the user found afterwards.
        userId: randomUUID(),
        name: command.name,
        email: command.email,
        document: normalizeCpf(command.document) ?? command.document,
      },
      command.context,
    );
  }
}
