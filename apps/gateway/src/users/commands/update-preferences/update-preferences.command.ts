import { Command } from '@nestjs/cqrs';
import type { AcceptedCommand } from '../../../commands/command-acceptor';
import type { CommandContext } from '../../../commands/command-acceptor';

export class UpdatePreferencesCommand extends Command<AcceptedCommand> {
  constructor(
    readonly userId: string,
    readonly preferences: Record<string, unknown>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
