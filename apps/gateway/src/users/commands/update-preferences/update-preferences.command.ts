import { Command } from '@nestjs/cqrs';
import type { AcceptedCommand } from '../../../command-acceptance/command-acceptor';
import type { CommandContext } from '../../../command-acceptance/command-acceptor';

export class UpdatePreferencesCommand extends Command<AcceptedCommand> {
  constructor(
    readonly userId: string,
    readonly preferences: Record<string, unknown>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
