import { Command } from '@nestjs/cqrs';
import type { DomainError } from '../../domain/domain-error';
import type { UserCreatedEvent } from '../../events/user-created.event';
import type { CreateUserCommand, CreateUserResult } from '../create-user/create-user.command';

/** What one of the commands came to: created (and its event, raised once committed) or refused. */
export type CreateUserOutcome =
  { created: CreateUserResult; event: UserCreatedEvent } | { refused: DomainError };

/**
 * Create-user commands that follow each other in a batch, applied as if one after the other
 * (same rules, same outcomes, in order) but written in one statement: one round trip instead of
 * one per command. Outcomes come back in the commands' order.
 */
export class CreateUsersCommand extends Command<CreateUserOutcome[]> {
  constructor(readonly commands: CreateUserCommand[]) {
    super();
  }
}
