import type { CommandMeta } from '../commands/command-meta';

export class UserCreatedEvent {
  constructor(
    readonly userId: string,
    readonly meta: CommandMeta,
  ) {}
}
