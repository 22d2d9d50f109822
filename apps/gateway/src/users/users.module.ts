import { Module } from '@nestjs/common';
import { CommandAcceptanceModule } from '../command-acceptance/command-acceptance.module';
import { CreateSubscriptionController } from './commands/create-subscription/create-subscription.controller';
import { CreateSubscriptionHandler } from './commands/create-subscription/create-subscription.handler';
import { CreateUserController } from './commands/create-user/create-user.controller';
import { CreateUserHandler } from './commands/create-user/create-user.handler';
import { RecordPaymentController } from './commands/record-payment/record-payment.controller';
import { RecordPaymentHandler } from './commands/record-payment/record-payment.handler';
import { UpdatePreferencesController } from './commands/update-preferences/update-preferences.controller';
import { UpdatePreferencesHandler } from './commands/update-preferences/update-preferences.handler';
import { GetUserController } from './queries/get-user/get-user.controller';
import { GetUserHandler } from './queries/get-user/get-user.handler';
import { ListUsersController } from './queries/list-users/list-users.controller';
import { ListUsersHandler } from './queries/list-users/list-users.handler';

/**
 * `/users`: commands accepted over HTTP and applied by the processor, and reads of the user tables
 * the processor owns.
 */
@Module({
  imports: [CommandAcceptanceModule],
  controllers: [
    CreateUserController,
    CreateSubscriptionController,
    RecordPaymentController,
    UpdatePreferencesController,
    GetUserController,
    ListUsersController,
  ],
  providers: [
    CreateUserHandler,
    CreateSubscriptionHandler,
    RecordPaymentHandler,
    UpdatePreferencesHandler,
    GetUserHandler,
    ListUsersHandler,
  ],
})
export class UsersModule {}
