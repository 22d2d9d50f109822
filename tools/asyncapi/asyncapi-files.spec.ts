// The checked-in AsyncAPI document: current with libs/contracts, valid AsyncAPI 3.0, and complete
// (every topic of the catalog, the tenant topics, the `pix` exchange, every event type).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type AnySchema } from 'ajv';
import specs from '@asyncapi/specs';
import {
  COMMAND_REPLIES,
  PIX_EVENT_DATA_SCHEMAS,
  PIX_EVENT_TYPES,
  PIX_EXCHANGE,
  PIX_ROUTING_KEYS,
  platformSchemas,
  TOPIC_CATALOG,
  USAGE_EVENT_TYPE,
  USER_COMMANDS,
  type AsyncApiDocument,
} from '@event-hub/contracts';
import { ASYNCAPI_FILES, currentAsyncApiDocument, renderAsyncApiFiles } from './asyncapi-files';

const document = currentAsyncApiDocument();

type Channel = {
  address: string;
  messages: Record<string, { $ref: string }>;
  bindings?: {
    kafka?: { partitions: number };
    amqp?: { exchange: { name: string; type: string; durable: boolean } };
  };
};
const channels = document.channels as Record<string, Channel>;

/** Follows a local `#/a/b` reference in the document. */
function resolve(pointer: string): Record<string, unknown> {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<Record<string, unknown>>(
      (node, part) => node[part] as Record<string, unknown>,
      document as unknown as Record<string, unknown>,
    );
}

describe('docs/asyncapi.{json,yaml}', () => {
  it('are what `npm run asyncapi` generates from libs/contracts now (regenerate when this fails)', () => {
    const expected = renderAsyncApiFiles(document);
    expect(readFileSync(ASYNCAPI_FILES.json, 'utf8')).toBe(expected.json);
    expect(readFileSync(ASYNCAPI_FILES.yaml, 'utf8')).toBe(expected.yaml);
  });

  // The schema bundles its own draft-07 meta-schema, which Ajv must not hold twice.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
    meta: false,
    validateSchema: false,
  });
  const validateAsyncApi = ajv.compile(specs.schemas['3.0.0'] as AnySchema);

  it('validate against the AsyncAPI 3.0.0 JSON Schema, bindings included', () => {
    const checkedIn = JSON.parse(readFileSync(ASYNCAPI_FILES.json, 'utf8')) as AsyncApiDocument;
    expect(validateAsyncApi(checkedIn)).toBe(true);
    expect(validateAsyncApi.errors ?? []).toEqual([]);
  });

  it('would be refused by that schema if a binding were wrong', () => {
    const broken = structuredClone(document) as unknown as {
      channels: { user_events: { bindings: { kafka: { partitions: unknown } } } };
    };
    broken.channels.user_events.bindings.kafka.partitions = 'six';
    expect(validateAsyncApi(broken)).toBe(false);
  });
});

describe('the AsyncAPI document', () => {
  it('states the version of the package the contracts ship in', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(document.info.version).toBe(pkg.version);
  });

  it('has a Kafka channel for every topic of the catalog, with its partitions', () => {
    for (const topic of TOPIC_CATALOG) {
      const channel = Object.values(channels).find(
        (c) => c.address === topic.name && c.bindings?.kafka !== undefined,
      );
      expect(channel?.bindings?.kafka?.partitions).toBe(topic.partitions);
    }
  });

  it('describes tenant topics by their address pattern', () => {
    expect(channels['tenantTopic'].address).toBe('tenant.{tenantId}.{topic}');
  });

  it('describes the pix topic exchange, durable, with the routing keys the processor publishes', () => {
    const amqp = Object.values(channels).filter((c) => c.bindings?.amqp !== undefined);
    expect(amqp.map((c) => c.address).sort()).toEqual(Object.values(PIX_ROUTING_KEYS).sort());
    for (const channel of amqp) {
      expect(channel.bindings?.amqp?.exchange).toEqual(
        expect.objectContaining({ name: PIX_EXCHANGE, type: 'topic', durable: true }),
      );
    }
  });

  it('gives every event type a message: its envelope, with the data schema the registry holds', () => {
    const registered = new Map(platformSchemas().map((s) => [s.subject, s.schema]));
    const eventTypes = [
      ...Object.values(USER_COMMANDS),
      ...Object.values(COMMAND_REPLIES),
      USAGE_EVENT_TYPE,
    ];
    for (const eventType of eventTypes) {
      const payload = resolve(`#/components/messages/${eventType}`)['payload'] as {
        properties: { eventType: { enum: string[] }; data: { $ref: string } };
      };
      expect(payload.properties.eventType.enum).toEqual([eventType]);
      expect(resolve(payload.properties.data.$ref)).toEqual(registered.get(`${eventType}-data`));
    }
  });

  it('describes each PIX event with its data schema, on its topic and on the exchange', () => {
    for (const eventType of PIX_EVENT_TYPES) {
      const schema = resolve(`#/components/schemas/${eventType}-data`);
      expect(schema).toEqual(PIX_EVENT_DATA_SCHEMAS[eventType]);
    }
    const onChannel = (address: string) =>
      Object.values(channels)
        .filter((c) => c.address === address)
        .flatMap((c) => Object.values(c.messages).map((m) => resolve(m.$ref)['payload']))
        .map((p) => (p as { properties: { data: { $ref: string } } }).properties.data.$ref);
    for (const routingKey of Object.values(PIX_ROUTING_KEYS)) {
      expect(onChannel(routingKey)).toContain(`#/components/schemas/${routingKey}-data`);
    }
    expect(onChannel('pix.audit.log')).toEqual(['#/components/schemas/pix.audit.log-data']);
  });
});
