import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UserCreatedEvent } from '../../events/user-created.event';
import { UsersWriteRepository } from '../../persistence/users-write.repository';
import { whyUserRefused } from '../create-user/create-user.handler';
import { CreateUsersCommand, type CreateUserOutcome } from './create-users.command';

/**
 * The rules of {@link CreateUserHandler} for a run of commands: one conditional multi-row insert
 * in the commands' order, so a command clashing with an earlier one of the run is refused as it
 * would be one by one. Only a refused command costs a further look-up (why it was refused), which
 * ignores the rows of later commands: they did not exist yet when it was applied.
 */
@CommandHandler(CreateUsersCommand)
export class CreateUsersHandler implements ICommandHandler<
  CreateUsersCommand,
  CreateUserOutcome[]
> {
  constructor(private readonly users: UsersWriteRepository) {}

  async execute({ commands }: CreateUsersCommand): Promise<CreateUserOutcome[]> {
    const inserted = await this.users.insertUsers(
      commands.map(({ data, meta }) => ({ user: data, tenantId: meta.tenantId })),
    );
    const outcomes: CreateUserOutcome[] = [];
    for (const [index, { data, meta }] of commands.entries()) {
      if (inserted[index]) {
        outcomes.push({
          created: { userId: data.userId },
          event: new UserCreatedEvent(data.userId, meta),
        });
        continue;
      }
      const laterIds = commands
        .slice(index + 1)
        .filter((_, offset) => inserted[index + 1 + offset])
        .map((later) => later.data.userId);
      outcomes.push({ refused: await whyUserRefused(this.users, data, meta.tenantId, laterIds) });
    }
    return outcomes;
  }
}
