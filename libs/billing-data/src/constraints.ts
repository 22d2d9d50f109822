/**
 * Names of the `billing` table's constraints and indexes. The processor's insert names the unique
 * one in `ON CONFLICT`, so the names are part of the library's contract.
 */
export const BILLING_CONSTRAINTS = {
  usageEventUnique: 'billing_usage_event_id_key',
  actionCheck: 'billing_action_check',
  messagesNotNegative: 'billing_messages_not_negative_check',
  bytesNotNegative: 'billing_bytes_not_negative_check',
  tenantEventTimeIndex: 'billing_tenant_event_time_idx',
  eventTimeIndex: 'billing_event_time_idx',
} as const;

/** The largest `messages` a row holds (Postgres `integer`). */
export const BILLING_MAX_MESSAGES = 2_147_483_647;
