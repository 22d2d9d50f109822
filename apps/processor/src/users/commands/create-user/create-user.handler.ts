import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CreateUserData } from '@event-hub/contracts';
import {
  DocumentTakenError,
  EmailTakenError,
  UserAlreadyExistsError,
  type DomainError,
} from '../../domain/domain-error';
import { UserCreatedEvent } from '../../events/user-created.event';
import { UsersWriteRepository } from '../../persistence/users-write.repository';
import { TransactionContext } from '../../../transactions/transaction-context';
import { CreateUserCommand, type CreateUserResult } from './create-user.command';

/** Rules: the user id is new, and no other user has the email (in any case) or the document. */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, CreateUserResult> {
  constructor(
    private readonly users: UsersWriteRepository,
    private readonly tx: TransactionContext,
  ) {}

  async execute({ data, meta }: CreateUserCommand): Promise<CreateUserResult> {
    const [inserted] = await this.users.insertUsers([{ user: data, tenantId: meta.tenantId }]);
    if (!inserted) {
      throw await whyUserRefused(this.users, data, meta.tenantId);
    }
    this.tx.current().raise(new UserCreatedEvent(data.userId, meta));
    return { userId: data.userId };
  }
}

/**
 * Why a user was not inserted, as the business error to answer. `ignoredIds`: users inserted after
 * this command (by later commands of the same statement), which must not explain its refusal.
 */
export async function whyUserRefused(
  users: UsersWriteRepository,
  data: CreateUserData,
  tenantId: string,
  ignoredIds: string[] = [],
): Promise<DomainError> {
  const clash = await users.findUserClash(data, tenantId, ignoredIds);
  if (clash.sameId) return new UserAlreadyExistsError(data.userId);
  if (clash.sameEmail) return new EmailTakenError();
  if (clash.sameDocument) return new DocumentTakenError();
  // The clashing row was gone by the time we looked: only a concurrent delete could do that.
  throw new Error(`user ${data.userId} was refused by a constraint that no longer matches`);
}
