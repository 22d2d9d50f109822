/**
 * The AsyncAPI 3.0 description of everything Event Hub carries: each Kafka topic of the catalog,
 * the tenant topics, the RabbitMQ exchange `pix`, and each event type with its JSON Schema. Built
 * from this library's declarations (never written by hand), so it changes when they do;
 * docs/asyncapi.{json,yaml} hold the checked-in copy and the gateway serves it at /asyncapi.
 */
import { accountBalanceRecordSchema } from '../balances/account-balance.schema';
import { ACCOUNT_COMMANDS } from '../commands/account-commands';
import { USER_COMMANDS } from '../commands/user-commands';
import { envelopeSchemaFor, eventEnvelopeSchema } from '../envelope/event-envelope.schema';
import { DEAD_LETTER_HEADERS, EVENT_HEADERS } from '../envelope/headers';
import { COMMAND_REPLIES } from '../replies/command-reply';
import { PIX_EXCHANGE, PIX_ROUTING_KEYS } from '../pix/pix-notifications';
import {
  isPixEventType,
  PIX_EVENT_DATA_SCHEMAS,
  PIX_STAGE_TOPICS,
  withTenantRequired,
} from '../pix/pix-event-schemas';
import {
  commandCompletedDataSchema,
  commandFailedDataSchema,
  usageEventDataSchema,
} from '../schemas/platform-event-schemas';
import { COMMAND_PAYLOAD_SCHEMAS } from '../schemas/account-command-payload.schemas';
import { TENANT_TOPIC_NAME_PATTERN } from '../topics/tenant-topic-name';
import {
  TENANT_TOPIC_PREFIX,
  TOPIC_CATALOG,
  TOPICS,
  topicConfigEntries,
  type TopicSpec,
} from '../topics/topic-catalog';
import { USAGE_EVENT_TYPE } from '../usage/usage-event';

type JsonSchema = Record<string, unknown>;
type Ref = { $ref: string };
export type AsyncApiDocument = {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers: Record<string, unknown>;
  channels: Record<string, unknown>;
  operations: Record<string, unknown>;
  components: {
    schemas: Record<string, JsonSchema>;
    messages: Record<string, unknown>;
  };
};

export const ASYNCAPI_VERSION = '3.0.0';
/** The version of these contracts, as the document states it (kept with package.json's). */
export const CONTRACTS_VERSION = '0.1.0';
/** The RabbitMQ exchange PIX notifications are published to (issue #12): topic, durable. */

const KAFKA_BINDING_VERSION = '0.5.0';
const AMQP_BINDING_VERSION = '0.3.0';

const ref = (path: string): Ref => ({ $ref: `#/${path}` });
/** Component keys allow letters, digits, `.`, `-` and `_`. */
const key = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_');

/** The apps that write and read each platform topic (the monitor reads every topic). */
const FLOWS: Record<string, { sentBy: string[]; receivedBy: string[] }> = {
  [TOPICS.userEvents]: { sentBy: ['gateway'], receivedBy: ['processor'] },
  [TOPICS.responseEvents]: { sentBy: ['processor'], receivedBy: ['gateway'] },
  [TOPICS.userEventsDlq]: { sentBy: ['processor'], receivedBy: [] },
  [TOPICS.usageEvents]: { sentBy: ['gateway'], receivedBy: ['processor'] },
  [TOPICS.usageEventsDlq]: { sentBy: ['processor'], receivedBy: [] },
  [TOPICS.accountBalances]: { sentBy: ['processor'], receivedBy: [] },
  [TOPICS.pixPaymentsDlq]: { sentBy: ['processor'], receivedBy: [] },
  // The gateway's operator tool (POST /admin/pix/events) may write any of the five as well.
  [TOPICS.pixPaymentRequested]: { sentBy: ['gateway'], receivedBy: ['processor'] },
  [TOPICS.pixPaymentValidated]: { sentBy: ['processor', 'gateway'], receivedBy: ['processor'] },
  [TOPICS.pixPaymentSettled]: { sentBy: ['processor', 'gateway'], receivedBy: [] },
  [TOPICS.pixNotificationSent]: { sentBy: ['processor', 'gateway'], receivedBy: [] },
  [TOPICS.pixAuditLog]: { sentBy: ['processor', 'gateway'], receivedBy: [] },
};

/** The event types of each platform topic; topics not listed carry envelopes of any type. */
const COMMAND_TYPES = [...Object.values(USER_COMMANDS), ...Object.values(ACCOUNT_COMMANDS)];

const EVENT_TYPES: Record<string, readonly string[]> = {
  [TOPICS.userEvents]: COMMAND_TYPES,
  [TOPICS.userEventsDlq]: COMMAND_TYPES,
  [TOPICS.responseEvents]: Object.values(COMMAND_REPLIES),
  [TOPICS.usageEvents]: [USAGE_EVENT_TYPE],
  [TOPICS.usageEventsDlq]: [USAGE_EVENT_TYPE],
  ...Object.fromEntries(PIX_STAGE_TOPICS.map((topic) => [topic, [topic]])),
  // Stage records the processor could not handle: the two it consumes.
  [TOPICS.pixPaymentsDlq]: [TOPICS.pixPaymentRequested, TOPICS.pixPaymentValidated],
};

/** Each event type's `data` schema. */
function dataSchemas(): Record<string, JsonSchema> {
  return {
    ...Object.fromEntries(COMMAND_TYPES.map((type) => [type, COMMAND_PAYLOAD_SCHEMAS[type]])),
    [COMMAND_REPLIES.completed]: commandCompletedDataSchema,
    [COMMAND_REPLIES.failed]: commandFailedDataSchema,
    [USAGE_EVENT_TYPE]: usageEventDataSchema,
    ...PIX_EVENT_DATA_SCHEMAS,
  };
}

function headerSchema(names: readonly string[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
  };
}

const ENVELOPE_HEADERS = Object.values(EVENT_HEADERS);
const DEAD_LETTER_HEADER_NAMES = [...ENVELOPE_HEADERS, ...Object.values(DEAD_LETTER_HEADERS)];

/** What a record's Kafka key is, per topic. */
const KAFKA_KEYS: Record<string, string> = {
  [TOPICS.userEvents]:
    'The user id (user commands) or the account id (account commands), so one user’s or account’s commands stay in order',
  [TOPICS.userEventsDlq]: 'The original record’s key',
  [TOPICS.pixPaymentsDlq]: 'The original record’s key',
  [TOPICS.responseEvents]: 'The command’s correlation id',
  [TOPICS.accountBalances]: 'The account id (a null value removes a closed account)',
  [TOPICS.pixPaymentRequested]: 'The payer account id, so one payer’s payments stay in order',
  [TOPICS.pixPaymentValidated]: 'The payment id',
  [TOPICS.pixPaymentSettled]: 'The payment id',
  [TOPICS.pixNotificationSent]: 'The payment id',
  [TOPICS.pixAuditLog]: 'The subject’s id (payment or account)',
};

function kafkaChannel(spec: TopicSpec, messages: string[]): Record<string, unknown> {
  const config = topicConfigEntries(spec);
  return {
    address: spec.name,
    title: spec.name,
    description: spec.description,
    servers: [ref('servers/kafka')],
    messages: Object.fromEntries(messages.map((m) => [m, ref(`components/messages/${m}`)])),
    bindings: {
      kafka: {
        topic: spec.name,
        partitions: spec.partitions,
        replicas: spec.replicationFactor,
        topicConfiguration: {
          'cleanup.policy': config['cleanup.policy'].split(','),
          'retention.ms': Number(config['retention.ms']),
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function eventMessage(
  eventType: string,
  headers: readonly string[],
  kafkaKey: string | undefined,
): Record<string, unknown> {
  const payload = envelopeSchemaFor(
    [eventType],
    ref(`components/schemas/${key(`${eventType}-data`)}`),
  );
  return {
    name: eventType,
    title: eventType,
    contentType: 'application/json',
    headers: headerSchema(headers),
    payload: isPixEventType(eventType) ? withTenantRequired(payload) : payload,
    ...(kafkaKey
      ? {
          bindings: {
            kafka: {
              key: { type: 'string', description: kafkaKey },
              bindingVersion: KAFKA_BINDING_VERSION,
            },
          },
        }
      : {}),
  };
}

function operation(
  action: 'send' | 'receive',
  channel: string,
  app: string,
  messages: string[],
): Record<string, unknown> {
  return {
    action,
    channel: ref(`channels/${channel}`),
    summary: `${app} ${action === 'send' ? 'writes to' : 'reads from'} ${channel}`,
    tags: [{ name: app }],
    messages: messages.map((m) => ref(`channels/${channel}/messages/${m}`)),
  };
}

export function buildAsyncApiDocument(): AsyncApiDocument {
  const { $id: _id, $schema: _schema, ...envelope } = eventEnvelopeSchema;
  const schemas: Record<string, JsonSchema> = {
    EventEnvelope: envelope,
    AccountBalanceRecord: accountBalanceRecordSchema,
    ...Object.fromEntries(
      Object.entries(dataSchemas()).map(([type, schema]) => [key(`${type}-data`), schema]),
    ),
  };
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

  const anyEnvelope = (name: string, headers: readonly string[]): string => {
    messages[name] = {
      name,
      title: 'Event envelope',
      summary: 'An event of any type in the platform envelope; `data` as its event type says',
      contentType: 'application/json',
      headers: headerSchema(headers),
      payload: ref('components/schemas/EventEnvelope'),
    };
    return name;
  };

  for (const spec of TOPIC_CATALOG) {
    const channel = key(spec.name);
    const isDeadLetter = spec.name.endsWith('.dlq');
    const headers = isDeadLetter ? DEAD_LETTER_HEADER_NAMES : ENVELOPE_HEADERS;
    let names: string[];
    if (spec.name === TOPICS.accountBalances) {
      names = ['AccountBalanceRecord'];
      messages['AccountBalanceRecord'] = {
        name: 'AccountBalanceRecord',
        title: 'Latest balance of one account',
        contentType: 'application/json',
        headers: headerSchema([EVENT_HEADERS.tenantId]),
        payload: ref('components/schemas/AccountBalanceRecord'),
        bindings: {
          kafka: {
            key: { type: 'string', description: KAFKA_KEYS[spec.name] },
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
      };
    } else if (EVENT_TYPES[spec.name]) {
      names = EVENT_TYPES[spec.name].map((type) => {
        const name = key(isDeadLetter ? `${type}.dead_letter` : type);
        messages[name] ??= eventMessage(type, headers, KAFKA_KEYS[spec.name]);
        return name;
      });
    } else {
      names = [anyEnvelope('AnyEvent', ENVELOPE_HEADERS)];
    }
    channels[channel] = kafkaChannel(spec, names);
    const flow = FLOWS[spec.name] ?? { sentBy: [], receivedBy: [] };
    for (const app of flow.sentBy) {
      operations[key(`${app}.send.${spec.name}`)] = operation('send', channel, app, names);
    }
    for (const app of [...flow.receivedBy, 'monitor']) {
      operations[key(`${app}.receive.${spec.name}`)] = operation('receive', channel, app, names);
    }
  }

  messages['TenantRecord'] = {
    name: 'TenantRecord',
    title: 'A tenant’s record',
    summary:
      'Any JSON value a tenant produces through the gateway; checked against the latest schema ' +
      'registered for `<topic>-value` when the tenant registered one',
    contentType: 'application/json',
    payload: {},
  };
  channels['tenantTopic'] = {
    address: `${TENANT_TOPIC_PREFIX}{tenantId}.{topic}`,
    title: 'Tenant topics',
    description:
      'Topics tenants create through the gateway (POST /topics), one Kafka topic per tenant and ' +
      'name. Tenants produce and consume them over HTTP (POST/GET /topics/{topic}/records).',
    servers: [ref('servers/kafka')],
    parameters: {
      tenantId: { description: 'The owning tenant’s id (a lowercase slug)' },
      topic: {
        description: `The tenant’s name for the topic, matching ${TENANT_TOPIC_NAME_PATTERN.source}`,
      },
    },
    messages: { TenantRecord: ref('components/messages/TenantRecord') },
  };
  operations['gateway.send.tenantTopic'] = operation('send', 'tenantTopic', 'gateway', [
    'TenantRecord',
  ]);
  operations['gateway.receive.tenantTopic'] = operation('receive', 'tenantTopic', 'gateway', [
    'TenantRecord',
  ]);
  operations['monitor.receive.tenantTopic'] = operation('receive', 'tenantTopic', 'monitor', [
    'TenantRecord',
  ]);

  // PIX: the stage that ends a payment's flow is published to the exchange, its name the routing key.
  for (const routingKey of Object.values(PIX_ROUTING_KEYS)) {
    const pixMessage = key(`${routingKey}.notification`);
    messages[pixMessage] = eventMessage(routingKey, ENVELOPE_HEADERS, undefined);
    const channel = key(`${PIX_EXCHANGE}-exchange.${routingKey}`);
    channels[channel] = {
      address: routingKey,
      title: `${PIX_EXCHANGE} exchange, routing key ${routingKey}`,
      description: `The payment's notification when its flow ends at ${routingKey}, published to the RabbitMQ topic exchange \`${PIX_EXCHANGE}\` (persistent messages, publisher confirms) from the processor's outbox`,
      servers: [ref('servers/rabbitmq')],
      messages: { [pixMessage]: ref(`components/messages/${pixMessage}`) },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: {
            name: PIX_EXCHANGE,
            type: 'topic',
            durable: true,
            autoDelete: false,
            vhost: '/',
          },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    operations[key(`${PIX_EXCHANGE}-exchange.send.${routingKey}`)] = {
      ...operation('send', channel, 'processor', [pixMessage]),
      bindings: { amqp: { deliveryMode: 2, bindingVersion: AMQP_BINDING_VERSION } },
    };
    // The operator tool (POST /admin/pix/events) publishes there too, with publisher confirms.
    operations[key(`gateway.send.${PIX_EXCHANGE}-exchange.${routingKey}`)] = {
      ...operation('send', channel, 'gateway', [pixMessage]),
      bindings: { amqp: { deliveryMode: 2, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'Event Hub events',
      version: CONTRACTS_VERSION,
      description:
        'The Kafka topics and RabbitMQ exchange of Event Hub, and the JSON Schema of each event. ' +
        'Platform topics carry JSON event envelopes (`EventEnvelope`) whose `data` is described ' +
        'per event type; Kafka headers repeat the correlation id, event type and W3C trace ' +
        'context. Generated from libs/contracts.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'kafka:9092',
        protocol: 'kafka',
        description: 'The Kafka cluster (KAFKA_BROKERS); topics are provisioned from the catalog',
      },
      rabbitmq: {
        host: 'rabbitmq:5672',
        protocol: 'amqp',
        protocolVersion: '0-9-1',
        description: `RabbitMQ (RABBITMQ_URL): the topic exchange \`${PIX_EXCHANGE}\``,
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}
