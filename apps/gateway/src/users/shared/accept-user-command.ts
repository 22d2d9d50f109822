import type { UserCommandDataByType, UserCommandType } from '@event-hub/contracts';
import type { AcceptedCommand, CommandAcceptor } from '../../commands/command-acceptor';
import type { IdempotencyClaim } from '../../commands/idempotency';

/** Every user command is keyed by its user id, so one user's commands are processed in order. */
export function acceptUserCommand<T extends UserCommandType>(
  acceptor: CommandAcceptor,
  type: T,
  data: UserCommandDataByType[T] & { userId: string },
  idempotency: IdempotencyClaim | undefined,
): Promise<AcceptedCommand> {
  return acceptor.accept({ type, key: data.userId, data, ...(idempotency ? { idempotency } : {}) });
}
