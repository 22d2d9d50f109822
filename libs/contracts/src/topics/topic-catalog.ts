/**
 * The declarative topic catalog: every platform topic, declared once and provisioned idempotently
 * at start by libs/kafka. Tenant topics are created on demand under {@link TENANT_TOPIC_PREFIX}.
 */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type TopicCompression = 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface TopicSpec {
  name: string;
  description: string;
  partitions: number;
  /** Desired replication; provisioning caps it at the number of brokers (a dev cluster has one). */
  replicationFactor: number;
  /** `null` keeps records forever (compacted state topics). */
  retentionMs: number | null;
  cleanupPolicy: CleanupPolicy;
  compression: TopicCompression;
  /**
   * Paths (dot-separated) in the envelope's `data` that hold personal data. Kafka keeps them as
   * produced; copies outside Kafka (the monitor's search index) store them masked.
   */
  personalFields?: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOPICS = {
  userEvents: 'user_events',
  responseEvents: 'response_events',
  userEventsDlq: 'user_events.dlq',
  pixPaymentRequested: 'pix.payment.requested',
  pixPaymentValidated: 'pix.payment.validated',
  pixPaymentSettled: 'pix.payment.settled',
  pixNotificationSent: 'pix.notification.sent',
  pixAuditLog: 'pix.audit.log',
  pixPaymentsDlq: 'pix.payments.dlq',
  accountBalances: 'account_balances',
  usageEvents: 'usage_events',
  usageEventsDlq: 'usage_events.dlq',
} as const;

export type PlatformTopic = (typeof TOPICS)[keyof typeof TOPICS];

/** Every topic of the PIX flow (the processor renames them together with PIX_TOPIC_PREFIX in tests). */
export const PIX_TOPICS = [
  TOPICS.pixPaymentRequested,
  TOPICS.pixPaymentValidated,
  TOPICS.pixPaymentSettled,
  TOPICS.pixNotificationSent,
  TOPICS.pixAuditLog,
  TOPICS.accountBalances,
  TOPICS.pixPaymentsDlq,
] as const;

const events = (
  name: PlatformTopic,
  description: string,
  overrides: Partial<TopicSpec> = {},
): TopicSpec => ({
  name,
  description,
  partitions: 6,
  replicationFactor: 3,
  retentionMs: 7 * DAY_MS,
  cleanupPolicy: 'delete',
  compression: 'producer',
  ...overrides,
});

/** A user's name, e-mail and CPF (`users.create_user`). */
const USER_PERSONAL_FIELDS = ['name', 'email', 'document'] as const;

export const TOPIC_CATALOG: readonly TopicSpec[] = [
  events(TOPICS.userEvents, 'Commands about users, keyed by user id so one user stays in order', {
    personalFields: USER_PERSONAL_FIELDS,
  }),
  events(
    TOPICS.responseEvents,
    'Replies to commands (COMPLETED or FAILED), keyed by correlation id',
  ),
  events(TOPICS.userEventsDlq, 'Commands that could not be processed, with the error in headers', {
    personalFields: USER_PERSONAL_FIELDS,
    partitions: 1,
    retentionMs: 30 * DAY_MS,
  }),
  events(TOPICS.pixPaymentRequested, 'PIX stage 1: a payment was requested'),
  events(TOPICS.pixPaymentValidated, 'PIX stage 2: a payment passed validation'),
  events(TOPICS.pixPaymentSettled, 'PIX stage 3: a payment was settled'),
  events(TOPICS.pixNotificationSent, 'PIX stage 4: the payer and payee were notified'),
  events(TOPICS.pixAuditLog, 'PIX stage 5: audit trail of every stage', {
    retentionMs: 90 * DAY_MS,
    compression: 'gzip',
  }),
  events(
    TOPICS.pixPaymentsDlq,
    'PIX stage records that could not be handled, with the reason in headers',
    {
      partitions: 1,
      retentionMs: 30 * DAY_MS,
    },
  ),
  events(TOPICS.accountBalances, 'Latest balance per account id (compacted state topic)', {
    partitions: 3,
    retentionMs: null,
    cleanupPolicy: 'compact',
  }),
  events(TOPICS.usageEvents, 'Metered produce/consume usage, aggregated into billing', {
    retentionMs: 14 * DAY_MS,
  }),
  events(
    TOPICS.usageEventsDlq,
    'Usage events that could not be stored, with the reason in headers',
    {
      partitions: 1,
      retentionMs: 30 * DAY_MS,
    },
  ),
];

export const TENANT_TOPIC_PREFIX = 'tenant.';

export function tenantTopicName(tenantId: string, name: string): string {
  return `${TENANT_TOPIC_PREFIX}${tenantId}.${name}`;
}

/** Kafka topic configs (`retention.ms`, `cleanup.policy`, …) that express a spec. */
export function topicConfigEntries(spec: TopicSpec): Record<string, string> {
  return {
    'cleanup.policy': spec.cleanupPolicy,
    'retention.ms': spec.retentionMs === null ? '-1' : String(spec.retentionMs),
    'compression.type': spec.compression,
  };
}

/** The personal-data paths of a topic's `data` (none for tenant topics and unknown topics). */
export function personalFieldsOf(topic: string): readonly string[] {
  return TOPIC_CATALOG.find((spec) => spec.name === topic)?.personalFields ?? [];
}
