import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
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
    if (!(await this.users.insertUser(data, meta.tenantId))) {
      throw await this.whyRefused(data, meta.tenantId);
    }
    this.tx.current().raise(new UserCreatedEvent(data.userId, meta));
    return { userId: data.userId };
  }

  private async whyRefused(
    data: CreateUserCommand['data'],
    tenantId: string,
  ): Promise<DomainError> {
    const clash = await this.users.findUserClash(data, tenantId);
    if (clash.sameId) return new UserAlreadyExistsError(data.userId);
    if (clash.sameEmail) return new EmailTakenError();
    if (clash.sameDocument) return new DocumentTakenError();
    // The clashing row was gone by the time we looked: only a concurrent delete could do that.
    throw new Error(`user ${data.userId} was refused by a constraint that no longer matches`);
  }
}
