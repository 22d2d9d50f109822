/**
 * Names of the indexes and constraints the migrations create. Writers map a violation of one of
 * them to a business error, so the names are part of the library's contract.
 */
export const USER_DATA_CONSTRAINTS = {
  usersEmailUnique: 'users_email_lower_key',
  usersDocumentUnique: 'users_document_key',
  subscriptionsActivePlanUnique: 'subscriptions_one_active_per_plan_key',
  subscriptionsStatusCheck: 'subscriptions_status_check',
  subscriptionsUserFk: 'subscriptions_user_id_fkey',
  paymentsAmountPositive: 'payments_amount_positive_check',
  paymentsUserFk: 'payments_user_id_fkey',
  paymentsSubscriptionFk: 'payments_subscription_id_fkey',
  preferencesUserFk: 'preferences_user_id_fkey',
} as const;
