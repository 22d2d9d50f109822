import { Command } from '@nestjs/cqrs';
import type { AcceptedCommand } from '../../../commands/command-acceptor';
import type { IdempotencyClaim } from '../../../commands/idempotency';

export class UpdatePreferencesCommand extends Command<AcceptedCommand> {
  constructor(
    readonly userId: string,
    readonly preferences: Record<string, unknown>,
    readonly idempotency?: IdempotencyClaim,
  ) {
    super();
  }
}
