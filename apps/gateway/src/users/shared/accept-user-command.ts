import type { PlatformCommandDataByType, UserCommandType } from '@event-hub/contracts';
import type {
  AcceptedCommand,
  CommandAcceptor,
  CommandContext,
} from '../../command-acceptance/command-acceptor';

/** Every user command is keyed by its user id, so one user's commands are processed in order. */
export function acceptUserCommand<T extends UserCommandType>(
  acceptor: CommandAcceptor,
  type: T,
  data: PlatformCommandDataByType[T] & { userId: string },
  context: CommandContext,
): Promise<AcceptedCommand> {
  return acceptor.accept({ type, key: data.userId, data, ...context });
}
