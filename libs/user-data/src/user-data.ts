import { PaymentEntity } from './entities/payment.entity';
import { PreferencesEntity } from './entities/preferences.entity';
import { ProcessedEventEntity } from './entities/processed-event.entity';
import { SubscriptionEntity } from './entities/subscription.entity';
import { UserEntity } from './entities/user.entity';
import { CreateUserTables1763900000000 } from './migrations/1763900000000-create-user-tables';
import { CreateProcessedEvents1763900100000 } from './migrations/1763900100000-create-processed-events';
import { ScopeUsersToTenants1763900200000 } from './migrations/1763900200000-scope-users-to-tenants';

/** Entities of the user domain, for the processor (writer) and the gateway (reader). */
export const USER_DATA_ENTITIES = [
  UserEntity,
  SubscriptionEntity,
  PaymentEntity,
  PreferencesEntity,
  ProcessedEventEntity,
];

/**
 * Migrations of the user domain, in order. Only the processor, which owns these tables, runs them;
 * readers register the entities without the migrations.
 */
export const USER_DATA_MIGRATIONS = [
  CreateUserTables1763900000000,
  CreateProcessedEvents1763900100000,
  ScopeUsersToTenants1763900200000,
];
