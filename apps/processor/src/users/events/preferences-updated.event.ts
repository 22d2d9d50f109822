import type { CommandMeta } from '../commands/command-meta';

export class PreferencesUpdatedEvent {
  constructor(
    readonly userId: string,
    readonly keys: number,
    readonly meta: CommandMeta,
  ) {}
}
