import { Command } from '@nestjs/cqrs';
import type { AcceptedCommand } from '../../../command-acceptance/command-acceptor';
import type { CommandContext } from '../../../command-acceptance/command-acceptor';

export class CreateUserCommand extends Command<AcceptedCommand> {
  constructor(
    readonly name: string,
    readonly email: string,
    /** CPF as the client wrote it (already validated). */
    readonly document: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
