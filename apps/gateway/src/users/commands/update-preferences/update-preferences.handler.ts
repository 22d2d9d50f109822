import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { USER_COMMANDS } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
} from '../../../command-acceptance/command-acceptor';
import { acceptUserCommand } from '../../shared/accept-user-command';
import { UpdatePreferencesCommand } from './update-preferences.command';

@CommandHandler(UpdatePreferencesCommand)
export class UpdatePreferencesHandler implements ICommandHandler<
  UpdatePreferencesCommand,
  AcceptedCommand
> {
  constructor(private readonly acceptor: CommandAcceptor) {}

  execute(command: UpdatePreferencesCommand): Promise<AcceptedCommand> {
    return acceptUserCommand(
      this.acceptor,
      USER_COMMANDS.updatePreferences,
      { userId: command.userId, preferences: command.preferences },
      command.context,
    );
  }
}
