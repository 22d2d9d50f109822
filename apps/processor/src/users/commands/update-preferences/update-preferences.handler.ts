import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UserNotFoundError } from '../../domain/domain-error';
import { assertPreferencesWithinLimits } from '../../domain/preferences-limits';
import { PreferencesUpdatedEvent } from '../../events/preferences-updated.event';
import { UsersWriteRepository } from '../../persistence/users-write.repository';
import { TransactionContext } from '../../../transactions/transaction-context';
import {
  UpdatePreferencesCommand,
  type UpdatePreferencesResult,
} from './update-preferences.command';

/** Rules: the user exists and the preferences stay within PREFERENCES_LIMITS; they replace the old ones. */
@CommandHandler(UpdatePreferencesCommand)
export class UpdatePreferencesHandler implements ICommandHandler<
  UpdatePreferencesCommand,
  UpdatePreferencesResult
> {
  constructor(
    private readonly users: UsersWriteRepository,
    private readonly tx: TransactionContext,
  ) {}

  async execute({ data, meta }: UpdatePreferencesCommand): Promise<UpdatePreferencesResult> {
    assertPreferencesWithinLimits(data.preferences);
    if (!(await this.users.replacePreferences(data.userId, data.preferences, meta.tenantId))) {
      throw new UserNotFoundError(data.userId);
    }
    this.tx
      .current()
      .raise(new PreferencesUpdatedEvent(data.userId, Object.keys(data.preferences).length, meta));
    return { userId: data.userId, preferences: data.preferences };
  }
}
