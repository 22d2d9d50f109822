/** JSON Schema (draft-07) of {@link EventEnvelope}; `data` is described by each event type's schema. */
export const EVENT_ENVELOPE_SCHEMA_ID = 'https://event-hub.local/schemas/event-envelope.json';

export const eventEnvelopeSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: EVENT_ENVELOPE_SCHEMA_ID,
  title: 'EventEnvelope',
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'eventType', 'source', 'timestamp', 'version', 'data', 'metadata'],
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    eventType: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$',
      maxLength: 200,
    },
    source: { type: 'string', minLength: 1, maxLength: 200 },
    timestamp: { type: 'string', format: 'date-time' },
    version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$' },
    tenantId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    deadline: { type: 'string', format: 'date-time' },
    data: {},
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['correlationId'],
      properties: {
        correlationId: { type: 'string', format: 'uuid' },
        causationId: { type: 'string', format: 'uuid' },
        clientId: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
  },
} as const;

/**
 * The envelope's schema with `eventType` and `data` narrowed to one topic's events. Built from
 * {@link eventEnvelopeSchema} (not a copy), without its `$id`: each subject is a schema of its own.
 */
export function envelopeSchemaFor(
  eventTypes: readonly string[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  const { $id: _id, ...envelope } = eventEnvelopeSchema;
  return {
    ...envelope,
    title: `EventEnvelope of ${eventTypes.join(', ')}`,
    properties: {
      ...envelope.properties,
      eventType: { ...envelope.properties.eventType, enum: [...eventTypes] },
      data,
    },
  };
}
