import {
  PaymentEntity,
  PreferencesEntity,
  SubscriptionEntity,
  UserEntity,
} from '@event-hub/user-data';

/**
 * The user tables the users feature reads, registered in the gateway's data source. The processor
 * owns and migrates them (it is the only writer), so the gateway registers no migration.
 */
export const USERS_ENTITIES: (new () => object)[] = [
  UserEntity,
  SubscriptionEntity,
  PaymentEntity,
  PreferencesEntity,
];
