/**
 * Names of the PIX tables' constraints. Writers map a violation of one of them to a business
 * outcome (a duplicate key, insufficient funds, a replayed request), so they are part of the
 * library's contract.
 */
export const PIX_DATA_CONSTRAINTS = {
  accountsBalanceNotNegative: 'accounts_balance_not_negative_check',
  accountsUserFk: 'accounts_user_id_fkey',
  pixKeysTypeCheck: 'pix_keys_type_check',
  pixKeysTenantValueUnique: 'pix_keys_tenant_type_value_key',
  pixKeysAccountFk: 'pix_keys_account_id_fkey',
  paymentsAmountPositive: 'pix_payments_amount_positive_check',
  paymentsStateCheck: 'pix_payments_state_check',
  paymentsEndToEndUnique: 'pix_payments_end_to_end_id_key',
  paymentsIdempotencyUnique: 'pix_payments_client_idempotency_key',
  paymentsPayerFk: 'pix_payments_payer_account_id_fkey',
  paymentsPayerCreatedIndex: 'pix_payments_payer_created_idx',
  paymentsReceiverCreatedIndex: 'pix_payments_receiver_created_idx',
  stagesPaymentStageUnique: 'pix_payment_stages_payment_stage_key',
  entriesKindCheck: 'account_entries_kind_check',
  entriesAccountFk: 'account_entries_account_id_fkey',
  outboxUnsentIndex: 'pix_outbox_unsent_idx',
  outboxTombstoneKafkaOnly: 'pix_outbox_tombstone_kafka_only_check',
  outboxExtrasKafkaOnly: 'pix_outbox_extras_kafka_only_check',
} as const;

/** PIX key types (the central bank's DICT): CPF, CNPJ, e-mail, phone, random (EVP). */
export const PIX_KEY_TYPES = ['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP'] as const;
export type PixKeyType = (typeof PIX_KEY_TYPES)[number];

/**
 * Where a payment is. `requested` → `validated` → `settled` → `notified` is the happy path;
 * `rejected` ends the flow (antifraud or insufficient funds) and is notified too, so
 * `notified` follows either `settled` or `rejected`.
 */
export const PIX_PAYMENT_STATES = [
  'requested',
  'validated',
  'settled',
  'rejected',
  'notified',
] as const;
export type PixPaymentState = (typeof PIX_PAYMENT_STATES)[number];

/** Why a balance changed: an operator credit, an admin's absolute set, or a PIX leg. */
export const ACCOUNT_ENTRY_KINDS = ['deposit', 'adjustment', 'pix_debit', 'pix_credit'] as const;
export type AccountEntryKind = (typeof ACCOUNT_ENTRY_KINDS)[number];

/** The largest balance or amount `numeric(18,2)` holds. */
export const PIX_MAX_AMOUNT = '9999999999999999.99';
