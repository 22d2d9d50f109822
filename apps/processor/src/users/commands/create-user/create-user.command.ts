import { Command } from '@nestjs/cqrs';
import type { CreateUserData } from '@event-hub/contracts';
import type { CommandMeta } from '../command-meta';

export interface CreateUserResult extends Record<string, unknown> {
  userId: string;
}

export class CreateUserCommand extends Command<CreateUserResult> {
  constructor(
    readonly data: CreateUserData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
