import { Command } from '@nestjs/cqrs';
import type { UpdatePreferencesData } from '@event-hub/contracts';
import type { CommandMeta } from '../command-meta';

export interface UpdatePreferencesResult extends Record<string, unknown> {
  userId: string;
  preferences: Record<string, unknown>;
}

export class UpdatePreferencesCommand extends Command<UpdatePreferencesResult> {
  constructor(
    readonly data: UpdatePreferencesData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
